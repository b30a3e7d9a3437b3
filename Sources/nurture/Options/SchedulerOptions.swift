import ArgumentParser
import Foundation
import Logging
import NurtureCore
import NurtureMail
import NurtureScheduler
import NurtureSMTP
import NurtureStore
import NurtureWebhook

/// What `run`, `tick` and `serve --with-scheduler` share: the store, the definitions, the relay and the message settings.
struct SchedulerOptions: ParsableArguments {
    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("The definitions folder.", valueName: "folder"))
    var definitions: String = "sequences"

    @OptionGroup var relay: RelayOptions

    @Option(help: ArgumentHelp("Concurrent connections to the relay.", valueName: "n"))
    var connections: Int = 4

    @Option(help: ArgumentHelp(
        "At most this many messages per second, across every scheduler sharing the store.", valueName: "per-second"))
    var rate: Double?

    @Option(help: ArgumentHelp(
        "Give up retrying a send this long after its first attempt (e.g. 3d).",
        valueName: "duration"))
    var lifetime: String = "3d"

    @Option(help: ArgumentHelp(
        "Seconds a claimed send stays leased: after a crash it is sent again once its lease runs out.",
        valueName: "seconds"))
    var sendLease: Double = 300

    @Option(help: ArgumentHelp(
        "Seconds a claimed lead stays leased: after a crash it is run again once its lease runs out.",
        valueName: "seconds"))
    var leadLease: Double = 120

    @Option(help: ArgumentHelp("Leads run through the engine per pass.", valueName: "n"))
    var leadBatch: Int = 500

    @Option(help: ArgumentHelp(
        "Sends claimed per pass, fewer if --rate could not send them in half --send-lease (a crash can repeat at most one per connection; the rest wait for their lease).",
        valueName: "n"))
    var sendBatch: Int = 500

    @OptionGroup var unsubscribe: UnsubscribeOptions

    func validate() throws {
        try OptionRange.check(connections, in: OptionRange.connections, option: "--connections")
        if let rate { try OptionRange.check(rate, in: OptionRange.rate, option: "--rate") }
        try OptionRange.check(sendLease, in: OptionRange.lease, option: "--send-lease")
        try OptionRange.check(leadLease, in: OptionRange.lease, option: "--lead-lease")
        try OptionRange.check(leadBatch, in: OptionRange.batch, option: "--lead-batch")
        try OptionRange.check(sendBatch, in: OptionRange.batch, option: "--send-batch")
    }

    func scheduler() throws -> Scheduler {
        let set = try loadDefinitions()
        let settings = try settings()
        return try scheduler(store: try store.openShared(.sending), definitions: set, settings: settings)
    }

    /// The definitions folder, loaded and checked; its diagnostics go to standard error.
    func loadDefinitions() throws -> DefinitionSet { try DefinitionsFolder.load(definitions).0 }

    /// The options checked and turned into settings, without touching the store, the definitions
    /// or the network (so `tick` can refuse bad options before finding out there is nothing to do).
    func settings() throws -> (relay: RelayConfiguration, configuration: SchedulerConfiguration) {
        guard let lifetimeSpan = TimeSpanParsing.seconds(lifetime) else {
            throw ValidationError("--lifetime '\(lifetime)' is not a duration such as 3d or 12h")
        }
        let relayConfiguration = try relay.configuration(connections: connections, rateLimit: RateLimit(perSecond: rate))
        let links = try unsubscribe.links()
        var configuration = SchedulerConfiguration(unsubscribe: links)
        do {
            configuration.tracking = try unsubscribe.tracking(keyring: links.keyring)
        } catch {
            throw ValidationError(error.description)
        }
        configuration.retry.lifetime = lifetimeSpan
        configuration.sendLease = sendLease
        configuration.leadLease = leadLease
        configuration.leadBatch = leadBatch
        configuration.sendBatch = sendBatch
        return (relayConfiguration, configuration)
    }

    /// The scheduler on an open store. Creates the SMTP sender (libcurl and its connections).
    func scheduler(
        store: any TrackingStore, definitions set: DefinitionSet,
        settings: (relay: RelayConfiguration, configuration: SchedulerConfiguration)
    ) throws -> Scheduler {
        var configuration = settings.configuration
        if configuration.tracking == nil, let tracked = set.sequences.values.filter(\.tracking).map(\.id).min() {
            throw ValidationError("sequence '\(tracked)' has tracking: true: give --public-url (or NURTURE_PUBLIC_URL), the https address 'nurture serve' answers at")
        }
        if set.lifecycle.notices.webhook != nil {
            configuration.webhookSecret = try Self.webhookSecret()
        }
        ProcessLogging.start()
        return Scheduler(
            store: store, definitions: set, sender: try SMTPSender(relay: settings.relay), configuration: configuration)
    }

    /// The webhook secret, from `NURTURE_WEBHOOK_SECRET` as written (never echoed).
    static func webhookSecret() throws -> [UInt8] {
        guard let secret = ProcessInfo.processInfo.environment["NURTURE_WEBHOOK_SECRET"], !secret.isEmpty else {
            throw ValidationError("lifecycle.yml names a notices webhook: set NURTURE_WEBHOOK_SECRET to the secret its receiver checks")
        }
        guard secret.utf8.count >= WebhookSignature.minimumSecretLength else {
            throw ValidationError("NURTURE_WEBHOOK_SECRET is too short: use at least \(WebhookSignature.minimumSecretLength) characters")
        }
        return Array(secret.utf8)
    }
}

import NurtureCore

enum TimeSpanParsing {
    static func seconds(_ text: String) -> TimeInterval? {
        TimeSpan(parsing: text).flatMap { $0.isPositive ? $0.nominalSeconds : nil }
    }
}
