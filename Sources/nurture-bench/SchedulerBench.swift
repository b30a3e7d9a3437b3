import ArgumentParser
import Foundation
import Logging
import NurtureCore
import NurtureMail
import NurtureTokens
import NurtureScheduler
import NurtureSMTP
import NurtureStore
import Synchronization

/// Sends per second end to end through the real scheduler: claim the due leads, run the engine,
/// commit, claim the sends, render, deliver to a relay on loopback and record each result, with
/// the store as durable as in production (WAL, synchronous=NORMAL, each result committed).
struct SchedulerBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scheduler",
        abstract: "Scheduler throughput end to end to a relay (start one with: smtp-sink -u nobody 127.0.0.1:2525 1000)."
    )

    @Option(help: "Leads imported and enrolled (one email each).")
    var leads: Int = 20_000

    @Option(help: "The relay.")
    var relay: String = "smtp://127.0.0.1:2525"

    @Option(help: "Concurrent connections to the relay.")
    var connections: Int = 4

    @Option(help: "Leads per pass (default: the scheduler's).")
    var leadBatch: Int?

    @Option(help: "Sends per pass (default: the scheduler's).")
    var sendBatch: Int?

    @Option(help: "Keep the store here instead of in a temporary folder that is removed afterwards.")
    var db: String?

    func run() async throws {
        let folder = try StoreBench.temporaryFolder("nurture-scheduler-bench")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let definitions = try StoreBench.definitions(in: "\(folder)/definitions")
        let path = db ?? "\(folder)/bench.sqlite"
        let store = try SQLiteStore(path: path)
        let clock = ContinuousClock()

        let start = Date()
        let setup = try clock.measure {
            try StoreBench.importLeads(leads, into: store)
            try StoreBench.enroll(leads, into: store, at: start)
        }

        var configuration = SchedulerConfiguration(
            unsubscribe: try UnsubscribeLinks(baseURL: "https://northwind.example.com/unsubscribe", mailbox: "unsubscribe@example.com", keyring: .rotated(nil, now: Date())))
        if let leadBatch { configuration.leadBatch = leadBatch }
        if let sendBatch { configuration.sendBatch = sendBatch }
        let sender = try SMTPSender(relay: RelayConfiguration(url: relay, connections: connections))
        // Opens the connections outside the timing, as a running scheduler has them open.
        let warmUp = await sender.send((0..<connections).map { _ in
            OutgoingMessage(from: "bench@example.com", recipients: ["warm-up@example.org"], bytes: SMTPBench.message(number: 0, size: 512))
        })
        if let failure = warmUp.first(where: { $0.outcome != .delivered }) {
            throw BenchFailure("the relay at \(relay) did not accept a message: \(failure)")
        }
        let timed = TimedStore(store)
        var logger = Logger(label: "nurture.bench")
        logger.logLevel = .critical
        let scheduler = Scheduler(
            store: timed, definitions: definitions, sender: sender, configuration: configuration, logger: logger)

        var total = PassSummary()
        var passes = 0
        let cpuBefore = ProcessCPU.seconds
        let elapsed = try await clock.measure {
            while true {
                // As `nurture run` does.
                let summary = try await scheduler.overlappingPass()
                passes += 1
                total.add(summary)
                if !summary.didWork { break }
            }
        }
        let cpu = ProcessCPU.seconds - cpuBefore
        let status = try store.status(now: Date(), dayStart: .distantPast)
        let seconds = elapsed.seconds
        let leadSeconds = timed.leadSeconds
        print("relay           \(relay), \(connections) connection\(connections == 1 ? "" : "s"); store WAL, synchronous=NORMAL, each result committed")
        print("set-up          \(grouped(leads)) leads imported and enrolled in \(fixed(setup.seconds)) s (not timed below)")
        print("passes          \(passes) (\(configuration.leadBatch) leads, \(configuration.sendBatch) sends per pass)")
        print("result          \(total)")
        print("sent            \(grouped(status.sentToday)) of \(grouped(leads)) recorded as sent in \(fixed(seconds)) s")
        print("sends/s         \(grouped(Int(Double(status.sentToday) / seconds))) end to end (claim, engine, render, SMTP, record)")
        print("engine side     \(fixed(leadSeconds)) s claiming leads, running the engine and committing state and sends (\(grouped(Int(Double(total.leads) / max(leadSeconds, 1e-9)))) leads/s), alongside delivery")
        print("cpu             \(fixed(cpu)) s in this process (\(fixed(cpu * 1000 / Double(max(1, status.sentToday)), 3)) ms per send; the relay's own not counted) on \(ProcessInfo.processInfo.activeProcessorCount) cores")
        print("peak memory     \(fixed(PeakMemory.megabytes, 1)) MB")
        if status.sentToday != leads { throw BenchFailure("only \(status.sentToday) of \(leads) sends were recorded as sent") }
    }
}

/// The store, with the time of the engine's side of each pass (claiming leads up to committing
/// what the engine decided) added up, so that it can be told apart from delivery.
final class TimedStore: SchedulerStore {
    let base: SQLiteStore
    private let timing = Mutex<(started: ContinuousClock.Instant?, total: Duration)>((nil, .zero))

    init(_ base: SQLiteStore) { self.base = base }

    var leadSeconds: Double { timing.withLock { $0.total.seconds } }

    func claimDueLeads(now: Date, limit: Int, leaseUntil: Date) throws -> [ClaimedLead] {
        let started = ContinuousClock.now
        let claimed = try base.claimDueLeads(now: now, limit: limit, leaseUntil: leaseUntil)
        timing.withLock { timing in
            if claimed.isEmpty { timing.total += ContinuousClock.now - started } else { timing.started = started }
        }
        return claimed
    }

    func commit(_ updates: [LeadUpdate], now: Date) throws {
        defer {
            timing.withLock { timing in
                if let started = timing.started { timing.total += ContinuousClock.now - started }
                timing.started = nil
            }
        }
        try base.commit(updates, now: now)
    }

    func upsert(_ leads: [Lead]) throws -> Int { try base.upsert(leads) }
    func append(_ items: [InboxItem]) throws -> Int { try base.append(items) }
    func rescueExpiredSends(now: Date) throws -> Int { try base.rescueExpiredSends(now: now) }
    func claimDueSends(now: Date, limit: Int, leaseUntil: Date, rate: SendRate?) throws -> [QueuedSend] {
        try base.claimDueSends(now: now, limit: limit, leaseUntil: leaseUntil, rate: rate)
    }
    func record(_ outcome: SendOutcome, for key: String, now: Date) throws { try base.record(outcome, for: key, now: now) }
    func leadsForSending(_ ids: [String]) throws -> [String: LeadForSending] { try base.leadsForSending(ids) }
    func nextDue() throws -> Date? { try base.nextDue() }
    func status(now: Date, dayStart: Date) throws -> QueueStatus { try base.status(now: now, dayStart: dayStart) }
}

/// The sales-loop calls go straight to the store: the benchmark times the engine and send paths.
extension TimedStore: SalesLoopStore {
    func leadID(for reference: String) throws -> String? { try base.leadID(for: reference) }
    func lead(_ id: String) throws -> (Lead, LeadState?)? { try base.lead(id) }
    func forEachLead(_ body: (Lead, LeadState?) throws -> Void) throws { try base.forEachLead(body) }
    func history(of leadID: String, upTo now: Date) throws -> LeadHistory { try base.history(of: leadID, upTo: now) }
    func handOffs(_ filter: HandOffFilter, now: Date) throws -> [HandOffRecord] { try base.handOffs(filter, now: now) }
    func handOff(_ id: Int64) throws -> HandOffRecord? { try base.handOff(id) }
    func answer(_ id: Int64, with action: RepAction, accepted: Bool, touchDue: Date?, movesLead: Bool, at: Date, source: String) throws {
        try base.answer(id, with: action, accepted: accepted, touchDue: touchDue, movesLead: movesLead, at: at, source: source)
    }
    func touch(_ id: Int64, at: Date) throws { try base.touch(id, at: at) }
    func recordAction(_ action: RepAction, leadID: String, handOffID: Int64?, at: Date, source: String) throws {
        try base.recordAction(action, leadID: leadID, handOffID: handOffID, at: at, source: source)
    }
    func expireHandOffs(now: Date) throws -> [HandOffRecord] { try base.expireHandOffs(now: now) }
    func recordUnsubscribe(leadID: String, messageKey: String, at: Date) throws -> Bool {
        try base.recordUnsubscribe(leadID: leadID, messageKey: messageKey, at: at)
    }
    func hasRecorded(_ action: RepAction, leadID: String, at: Date) throws -> Bool { try base.hasRecorded(action, leadID: leadID, at: at) }
    func addHandOffs(_ handOffs: [NewHandOff], notices: [NewNotice], leadID: String, at: Date) throws {
        try base.addHandOffs(handOffs, notices: notices, leadID: leadID, at: at)
    }
    func rescueExpiredNotices(now: Date) throws -> Int { try base.rescueExpiredNotices(now: now) }
    func claimDueNotices(now: Date, limit: Int, leaseUntil: Date) throws -> [RepNotice] {
        try base.claimDueNotices(now: now, limit: limit, leaseUntil: leaseUntil)
    }
    func record(_ outcome: SendOutcome, forNotice key: String, now: Date) throws { try base.record(outcome, forNotice: key, now: now) }
    func addRequest(leadID: String, sequence: String, rep: Rep, note: String?, until: Date?, newOwner: Lead?, at: Date) throws -> Int64 {
        try base.addRequest(leadID: leadID, sequence: sequence, rep: rep, note: note, until: until, newOwner: newOwner, at: at)
    }
    func requests(leadID: String?, repEmail: String?, since: Date?, until: Date?) throws -> [NurtureRequest] {
        try base.requests(leadID: leadID, repEmail: repEmail, since: since, until: until)
    }
    func request(_ id: Int64) throws -> NurtureRequest? { try base.request(id) }
    func cancelRequest(_ id: Int64, at: Date) throws { try base.cancelRequest(id, at: at) }
    func closeLapsedRequests(now: Date) throws -> Int { try base.closeLapsedRequests(now: now) }
    func sentCounts(senders: [String], since: Date) throws -> [String: Int] { try base.sentCounts(senders: senders, since: since) }
}

extension TimedStore: TrackingStore {
    func record(_ outcome: SendOutcome, for key: String, links: [String], now: Date) throws {
        try base.record(outcome, for: key, links: links, now: now)
    }

    func record(_ records: [OutcomeRecord], now: Date) throws { try base.record(records, now: now) }

    func recordClick(_ hit: TrackingHit, classify: @escaping @Sendable (TrackedMessage) -> String?) async throws -> (url: String, rule: String?)? {
        try await base.recordClick(hit, classify: classify)
    }

    func recordOpen(_ hit: TrackingHit, classify: @escaping @Sendable (TrackedMessage) -> String?) async throws -> String?? {
        try await base.recordOpen(hit, classify: classify)
    }
}
