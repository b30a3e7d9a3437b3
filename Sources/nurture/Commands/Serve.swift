import NurtureMail
import ArgumentParser
import Foundation
import Logging
import NurtureScheduler
import NurtureServer
import NurtureTokens
import ServiceLifecycle

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The web service: one-click unsubscribe, tracking, the event and rep API under /api, the rep's pages, /healthz and /metrics.",
        discussion: """
            With --with-scheduler the scheduler runs in the same process (give it the relay options as for `run`); \
            otherwise run `nurture run` beside it on the same store. SIGTERM or SIGINT stops both cleanly.
            """)

    /// The store, definitions, keyring and, for --with-scheduler, the relay: as `run` takes them.
    @OptionGroup var options: SchedulerOptions

    @Option(help: ArgumentHelp("Address and port to listen on.", valueName: "host:port"))
    var listen: String = "127.0.0.1:8080"

    @Flag(help: "Also run the scheduler in this process, with the relay options.")
    var withScheduler = false

    func address() throws -> (host: String, port: Int) {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]), (1...65_535).contains(port),
              !listen[..<colon].isEmpty
        else { throw ValidationError("--listen is host:port, e.g. 127.0.0.1:8080, with a port from 1 to 65535") }
        return (String(listen[..<colon]), port)
    }

    func validate() throws {
        _ = try address()
        _ = try pagesURL()
    }

    /// The public URL (`--public-url`, shared with the links the scheduler renders): it turns on
    /// the rep and team pages.
    func pagesURL() throws -> PublicURL? {
        guard let publicURL = options.unsubscribe.publicURL ?? ProcessInfo.processInfo.environment["NURTURE_PUBLIC_URL"],
              !publicURL.isEmpty
        else { return nil }
        do {
            return try PublicURL(publicURL)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        // Signals first: one that arrives while the store opens still ends in a clean stop.
        let signals = StopSignals()
        defer { signals.cancel() }
        let (host, port) = try address()
        let keyring: Keyring
        do {
            keyring = try Keyring.load(path: options.unsubscribe.keys)
        } catch {
            throw ValidationError(error.description)
        }
        // Options first, so a bad relay is refused before the store is opened.
        let settings = withScheduler ? try options.settings() : nil
        let store = try options.store.openShared(.existing)
        // The definitions: who may sign in, the reasons and sequences reps choose from, what the
        // API checks rep actions against, and what the scheduler runs.
        let definitions = try options.loadDefinitions()
        ProcessLogging.start()
        let logger = Logger(label: "nurture.web")
        var service = WebService(
            store: store, keyring: keyring, repPages: try pagesURL().map { RepPagesSettings(definitions: definitions, publicURL: $0) })
        service.definitions = definitions
        var services: [any Service] = [service.application(host: host, port: port, logger: logger)]
        if let settings {
            services.append(SchedulerService(scheduler: try options.scheduler(store: store, definitions: definitions, settings: settings)))
        }
        let group = ServiceGroup(configuration: .init(services: services.map { .init(service: $0) }, logger: logger))
        signals.forward { Task { await group.triggerGracefulShutdown() } }
        try await group.run()
    }
}
