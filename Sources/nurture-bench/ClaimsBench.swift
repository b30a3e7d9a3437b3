import ArgumentParser
import Foundation
import NurtureCore
import NurturePostgres
import NurtureStore

/// The store alone: how fast the sender's side leases due sends in batches and records them as
/// sent, with no engine, rendering or SMTP in the way.
struct ClaimsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "claims",
        abstract: "Store throughput: claimDueSends in batches, then record(.sent) for each, alone or grouped (durable, as in production)."
    )

    @Option(help: "Due sends in the outbox.")
    var sends: Int = 100_000

    @Option(help: "Sends leased per claim.")
    var batch: Int = 500

    @Option(help: "Outcomes recorded per transaction, as the scheduler groups those its relay connections finish together (1: each alone).")
    var recordBatch: Int = 1

    @Option(help: "Keep the store here instead of in a temporary folder that is removed afterwards; or an empty PostgreSQL database (postgres://...).")
    var db: String?

    @Option(help: "Workers claiming and recording at once, each with its own store handle (its own connection pool on PostgreSQL).")
    var workers: Int = 1

    func run() async throws {
        let folder = try StoreBench.temporaryFolder("nurture-claims-bench")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let definitions = try StoreBench.definitions(in: "\(folder)/definitions")
        let path = db ?? "\(folder)/bench.sqlite"
        let postgres = PostgresLocation.isPostgres(path)
        func open() throws -> any TrackingStore {
            postgres ? try PostgresStore(try PostgresLocation(url: path)) : try SQLiteStore(path: path)
        }
        let store = try open()
        guard try store.status(now: Date(), dayStart: Date()).leads == 0 else { throw BenchFailure("the store must start empty") }
        let clock = ContinuousClock()

        // Set-up: the leads, then the engine's decision for each (enrolled, its one email queued),
        // committed in one transaction.
        let now = Date()
        let setup = try clock.measure {
            try StoreBench.importLeads(sends, into: store, batch: sends)
            let engine = Engine(definitions)
            let updates = (0..<sends).map { number -> LeadUpdate in
                let lead = StoreBench.lead(number)
                var state = engine.start(lead, at: now)
                let queued = engine.step(&state, lead: lead, input: .enroll(sequence: StoreBench.sequenceID), at: now)
                    .compactMap { effect -> QueuedSend? in
                        if case let .send(send) = effect { QueuedSend(send: send, leadID: lead.id) } else { nil }
                    }
                return LeadUpdate(leadID: lead.id, state: state, processed: [], sends: queued, handOffs: [], suppression: nil, audit: [])
            }
            try store.commit(updates, now: now)
        }
        let due = try store.status(now: Date(), dayStart: now).dueNow
        guard due == sends else { throw BenchFailure("expected \(sends) due sends after the set-up, found \(due)") }

        // Each worker claims and records until the queue is empty; the times are summed over workers.
        let handles = try (0..<max(1, workers)).map { $0 == 0 ? store : try open() }
        let totals = BenchTotals()
        let wall = clock.measure {
            DispatchQueue.concurrentPerform(iterations: handles.count) { index in
                let store = handles[index]
                var claimTime = Duration.zero, recordTime = Duration.zero, claimed = 0, claims = 0
                do {
                    while true {
                        let started = clock.now
                        let at = Date()
                        let leased = try store.claimDueSends(now: at, limit: batch, leaseUntil: at.addingTimeInterval(300))
                        let afterClaim = clock.now
                        claimTime += afterClaim - started
                        if leased.isEmpty { break }
                        claims += 1
                        claimed += leased.count
                        for start in stride(from: 0, to: leased.count, by: max(1, recordBatch)) {
                            let together = leased[start..<min(leased.count, start + max(1, recordBatch))].map { send in
                                OutcomeRecord(
                                    key: send.key,
                                    outcome: .sent(messageID: "<\(send.key.hashValue)@bench.example.com>", code: 250, text: "2.0.0 Ok: queued"))
                            }
                            try store.record(together, now: Date())
                        }
                        recordTime += clock.now - afterClaim
                    }
                } catch {
                    totals.fail("\(error)")
                }
                totals.add(claimTime: claimTime, recordTime: recordTime, claimed: claimed, claims: claims)
            }
        }
        if let failure = totals.failure { throw BenchFailure(failure) }
        let (claimTime, recordTime, claimed, claims) = totals.sums
        let status = try store.status(now: Date(), dayStart: now)
        // Per worker: the summed times divided by the workers, so the rates are for all of them together.
        let claimSeconds = claimTime.seconds / Double(handles.count), recordSeconds = recordTime.seconds / Double(handles.count)
        let grouping = recordBatch > 1 ? "records \(recordBatch) to a transaction" : "each record its own transaction"
        print(postgres ? "store           PostgreSQL; \(grouping)" : "store           SQLite, WAL, synchronous=NORMAL; \(grouping)")
        print("workers         \(handles.count); wall clock for claiming and recording everything: \(fixed(wall.seconds)) s")
        print("set-up          \(grouped(sends)) due sends queued in \(fixed(setup.seconds)) s (one transaction, not timed below)")
        print("claimed         \(grouped(claimed)) in \(claims) claims of up to \(batch): \(fixed(claimSeconds)) s")
        print("recorded        \(grouped(status.sentToday)) as sent: \(fixed(recordSeconds)) s")
        print("claims/s        \(grouped(Int(Double(claimed) / claimSeconds))) (claim only)")
        print("records/s       \(grouped(Int(Double(claimed) / recordSeconds))) (record(.sent) only)")
        print("claim+record/s  \(grouped(Int(Double(claimed) / (claimSeconds + recordSeconds))))")
        print("peak memory     \(fixed(PeakMemory.megabytes, 1)) MB")
        if claimed != sends || status.sentToday != sends {
            throw BenchFailure("claimed \(claimed) and recorded \(status.sentToday) of \(sends) sends")
        }
    }
}

/// What the workers of a claims run did, added up.
final class BenchTotals: @unchecked Sendable {
    private let lock = NSLock()
    private var claimTime = Duration.zero, recordTime = Duration.zero, claimed = 0, claims = 0
    private(set) var failure: String?

    func add(claimTime: Duration, recordTime: Duration, claimed: Int, claims: Int) {
        lock.withLock {
            self.claimTime += claimTime
            self.recordTime += recordTime
            self.claimed += claimed
            self.claims += claims
        }
    }

    func fail(_ message: String) { lock.withLock { failure = failure ?? message } }

    var sums: (Duration, Duration, Int, Int) { lock.withLock { (claimTime, recordTime, claimed, claims) } }
}
