import Foundation
import Logging
import NurtureCore
import NurtureMail
import NurtureSMTP
import NurtureStore
import Synchronization

/// The run loop. Each pass:
///
/// 1. leases the leads that are due, runs the engine over what arrived for them and the time that
///    passed, and commits the new state with the sends it queued;
/// 2. puts back sends whose process died mid-send (their lease ran out);
/// 3. leases due sends (committed before any SMTP traffic), checks again that the address is not
///    suppressed, that the enrollment is still running and that the lead's send window is open,
///    renders, delivers, and records each result as it comes back (the results that come back
///    together in one transaction, `OutcomeCommit`).
///
/// A send in flight when the process dies is sent again after its lease runs out, with the same
/// Message-ID: at most one duplicate per connection per crash, and nothing lost.
public final class Scheduler: Sendable {
    public let store: any TrackingStore
    public let definitions: DefinitionSet
    public let sender: any MailTransport
    public let clock: any SchedulerClock
    public let configuration: SchedulerConfiguration
    let engine: Engine
    let logger: Logger
    /// Where the relay connections' outcomes are committed, together when they finish together.
    let outcomes: OutcomeCommit
    private let stopping = Atomic<Bool>(false)
    /// The wait between passes in progress, cancelled by `stop()` so that a stop is not held up by it.
    private let idle = Mutex<Task<Void, Never>?>(nil)

    public struct ConfigurationError: Error, CustomStringConvertible {
        public var result: DeliveryResult
        public var description: String { "sending stopped: \(result)" }
    }

    public init(
        store: any TrackingStore, definitions: DefinitionSet, sender: any MailTransport, clock: any SchedulerClock = SystemClock(),
        configuration: SchedulerConfiguration, logger: Logger = Logger(label: "nurture.scheduler")
    ) {
        self.store = store
        self.definitions = definitions
        self.sender = sender
        self.clock = clock
        self.configuration = configuration
        engine = Engine(definitions)
        self.logger = logger
        outcomes = OutcomeCommit(store: store, clock: clock)
    }

    /// Asks `run` to finish the pass in progress (and the sends in flight) and return.
    public func stop() {
        stopping.store(true, ordering: .relaxed)
        idle.withLock { $0?.cancel() }
    }

    public var isStopping: Bool { stopping.load(ordering: .relaxed) }

    /// Passes until `stop()`; sleeps while nothing is due.
    public func run() async throws {
        logger.info("scheduler started")
        while !isStopping {
            let summary = try await overlappingPass()
            if summary.didWork {
                logger.info("pass: \(summary)")
                continue
            }
            let now = clock.now()
            let idleUntil = now.addingTimeInterval(configuration.idlePoll)
            let next = (try store.nextDue()).map { min($0, idleUntil) } ?? idleUntil
            let clock = clock, until = max(next, now)
            let wait = Task { await clock.sleep(until: until) }
            idle.withLock { $0 = wait }
            if isStopping { wait.cancel() }
            await wait.value
            idle.withLock { $0 = nil }
        }
        logger.info("scheduler stopped")
    }

    /// One pass (what `nurture tick` runs): the leads, then the sends, those just queued included.
    @discardableResult
    public func pass() async throws -> PassSummary {
        var summary = PassSummary()
        try runLeads(into: &summary)
        try await deliver(into: &summary)
        return summary
    }

    /// One pass of `run`: the engine's side goes on while the sends already queued are delivered,
    /// so that neither waits for the other (each mostly uses a different core). What the leads
    /// queue goes out in the next pass, straight after.
    @discardableResult
    public func overlappingPass() async throws -> PassSummary {
        async let leads = { [self] in
            var summary = PassSummary()
            try runLeads(into: &summary)
            return summary
        }()
        var summary = PassSummary()
        try await deliver(into: &summary)
        summary.add(try await leads)
        return summary
    }

    // MARK: Leads

    func runLeads(into summary: inout PassSummary) throws {
        let now = clock.now()
        try expireHandOffs(now: now, into: &summary)
        let claimed = try store.claimDueLeads(
            now: now, limit: configuration.leadBatch, leaseUntil: now.addingTimeInterval(configuration.leadLease))
        guard !claimed.isEmpty else { return }
        var updates = claimed.map { LeadRun(engine: engine, definitions: definitions, claimed: $0, now: now).update }
        for index in updates.indices where !updates[index].handOffs.isEmpty {
            try summarize(&updates[index], lead: claimed[index].lead, now: now)
        }
        try store.commit(updates, now: now)
        summary.leads += claimed.count
        summary.queued += updates.reduce(0) { $0 + $1.sends.count }
        summary.handOffs += updates.reduce(0) { $0 + $1.handOffs.count }
    }

    // MARK: Sends

    func deliver(into summary: inout PassSummary) async throws {
        try await deliverNotices(into: &summary)
        let now = clock.now()
        summary.rescued += try store.rescueExpiredSends(now: now)
        let due = try store.claimDueSends(
            now: now, limit: sendsPerPass, leaseUntil: now.addingTimeInterval(configuration.sendLease),
            rate: sender.rateLimit.perSecond.map(SendRate.init(perSecond:)))
        let claimed = try holdingRepCaps(due, now: now, into: &summary)
        guard !claimed.isEmpty else { return }
        try await deliver(claimed, now: now, into: &summary)
    }

    /// Sends claimed per pass: the configured batch, or fewer when the relay's rate limit could
    /// not send them within half their lease (a claim that outlives its lease may be taken over by
    /// another scheduler and sent twice).
    var sendsPerPass: Int {
        let paced = sender.rateLimit.messages(within: configuration.sendLease / 2) ?? configuration.sendBatch
        return max(1, min(configuration.sendBatch, paced))
    }

    enum Preparation {
        case ready(RenderedEmail)
        case skip(SendOutcome)
    }

    /// The checks right before sending, against the lead as read for its batch, and the rendering.
    func prepare(_ send: QueuedSend, lead found: LeadForSending?, now: Date) -> Preparation {
        guard let found else { return .skip(.cancelled(reason: "lead deleted")) }
        let lead = found.lead, state = found.state
        if found.suppressed { return .skip(.cancelled(reason: "address suppressed")) }
        // Matched to the millisecond, as in the send's key: the enrolment time has been through the
        // database as seconds since 1970, which need not give back the same `Date` to the last bit.
        let enrolled = Self.milliseconds(send.enrolledAt)
        if let enrollment = state?.enrollments.last(where: { $0.sequence == send.sequence && Self.milliseconds($0.enrolledAt) == enrolled }) {
            switch enrollment.status {
            case .active, .completed: break
            case .handedOff: return .skip(.cancelled(reason: "handed off to sales before the send went out"))
            case let .exited(reason): return .skip(.cancelled(reason: "left the sequence before the send went out: \(reason)"))
            }
        }
        if state?.suppression != nil { return .skip(.cancelled(reason: "address suppressed")) }
        guard let sequence = definitions.sequences[send.sequence], let template = definitions.templates[send.template] else {
            return .skip(.failed(code: 0, text: "sequence or template '\(send.sequence)/\(send.template)' is no longer defined", suppress: false))
        }
        // A send late past its window (after an outage) waits for the next opening instead.
        let clock = ZoneClock(lead.timeZone ?? sequence.sendWindow.timeZone)
        if !sequence.sendWindow.contains(now, clock: clock) {
            let opening = sequence.sendWindow.nextOpening(atOrAfter: now, clock: clock)
            return .skip(.deferred(until: opening, reason: "outside the send window"))
        }
        if sequence.tracking, configuration.tracking == nil {
            return .skip(.deferred(until: now.addingTimeInterval(configuration.retry.base), reason: "the sequence tracks links: set the public URL"))
        }
        guard let request = MessageRequest(
            step: template, of: sequence, lead: lead, lifecycle: definitions.lifecycle, key: send.key, date: now,
            unsubscribe: configuration.unsubscribe, tracking: configuration.tracking, from: send.from, replyTo: send.replyTo,
            domain: configuration.messageDomain)
        else {
            return .skip(.failed(code: 0, text: "no sender: the sequence sends as the lead's rep and the lead has none", suppress: false))
        }
        do {
            return .ready(try MessageRenderer.render(request))
        } catch {
            return .skip(.failed(code: 0, text: "cannot render: \(error)", suppress: false))
        }
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }

    /// What a delivery result means for the send.
    func outcome(of result: DeliveryResult, for send: QueuedSend, messageID: String) -> SendOutcome {
        outcome(of: result, attempts: send.attempts, firstAttempt: send.firstAttemptAt, key: send.key, messageID: messageID)
    }

    /// What a delivery result means for an outbox item (a send or a rep notice) on its `attempts`th try.
    func outcome(of result: DeliveryResult, attempts: Int, firstAttempt: Date?, key: String, messageID: String) -> SendOutcome {
        let now = clock.now()
        switch result.outcome {
        case .delivered:
            return .sent(messageID: messageID, code: result.code, text: result.text)
        case .transient:
            let first = firstAttempt ?? now
            if configuration.retry.givesUp(firstAttempt: first, now: now) {
                return .failed(code: result.code, text: "gave up after \(attempts) attempts: \(result.text)", suppress: false)
            }
            let delay = configuration.retry.delay(afterAttempt: attempts, key: key)
            return .retry(at: now.addingTimeInterval(delay), code: result.code, text: result.text)
        case let .permanent(suppress):
            return .failed(code: result.code, text: result.text, suppress: suppress)
        case .configuration:
            // Not the message's fault: it waits, without using up an attempt, until someone fixes the setup.
            return .deferred(until: now.addingTimeInterval(configuration.retry.base), reason: "not sent: \(result)")
        }
    }
}
