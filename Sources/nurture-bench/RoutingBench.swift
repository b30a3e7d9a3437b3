import ArgumentParser
import Foundation
import NurtureCore
import NurturePostgres
import NurtureStore

/// What capacity-aware routing costs where hand-offs are recorded: the same commits of one hand-off
/// each, without teams and then with them, from several workers at once. With teams every commit
/// locks the routing cursor, so the workers take turns for the routed part of each transaction.
struct RoutingBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "routing",
        abstract: "Hand-off commits per second without and with capacity-aware routing, from several workers at once."
    )

    @Option(help: "Hand-offs in each of the two phases (one lead and one commit each).")
    var handOffs: Int = 2_000

    @Option(help: "Workers committing at once, each with its own store handle (its own connection pool on PostgreSQL).")
    var workers: Int = 4

    @Option(help: "An empty PostgreSQL database (postgres://...); default: a SQLite file in a temporary folder.")
    var db: String?

    static let reps = (0..<10).map { Rep(name: "Rep \($0)", email: "rep\($0)@vendor.example") }
    static let queue = Rep(name: "Queue", email: "queue@vendor.example")

    func run() async throws {
        let folder = try StoreBench.temporaryFolder("nurture-routing-bench")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = db ?? "\(folder)/bench.sqlite"
        let postgres = PostgresLocation.isPostgres(path)
        func open() throws -> any SharedStore {
            postgres ? try PostgresStore(try PostgresLocation(url: path)) : try SQLiteStore(path: path)
        }
        let store = try open()
        guard try store.status(now: Date(), dayStart: Date()).leads == 0 else { throw BenchFailure("the store must start empty") }
        try StoreBench.importLeads(2 * handOffs, into: store, batch: 2_000)
        let capacity = (handOffs + Self.reps.count - 1) / Self.reps.count
        let rules = HandOffRouting.Rules(
            teams: [Team(name: "AEs", members: Self.reps.map { .init(rep: $0, capacity: capacity) })], defaultOwner: Self.queue,
            businessHours: .always)
        let handles = try (0..<max(1, workers)).map { $0 == 0 ? store : try open() }
        let at = Date(timeIntervalSince1970: 1_772_445_600)

        /// Commits hand-offs for leads `first ..< first + handOffs`, shared out among the workers.
        func phase(first: Int, routing: HandOffRouting.Rules?) throws -> Duration {
            let failures = BenchTotals()
            let elapsed = ContinuousClock().measure {
                DispatchQueue.concurrentPerform(iterations: handles.count) { worker in
                    do {
                        for number in stride(from: first + worker, to: first + handOffs, by: handles.count) {
                            let handOff = HandOff(rep: Self.queue, reason: "bench", sequence: nil, score: 80, grade: "A", due: nil, at: at)
                            let state = LeadState(stage: "mql", score: Score(at: at), fitPoints: 0, grade: "A")
                            try handles[worker].commit([LeadUpdate(
                                leadID: StoreBench.lead(number).id, state: state, processed: [], sends: [],
                                handOffs: [NewHandOff(handOff, summary: nil, definitionsVersion: 1, routing: routing)],
                                suppression: nil, audit: [])], now: at)
                        }
                    } catch {
                        failures.fail("\(error)")
                    }
                }
            }
            if let failure = failures.failure { throw BenchFailure(failure) }
            return elapsed
        }
        let plain = try phase(first: 0, routing: nil)
        let routed = try phase(first: handOffs, routing: rules)

        let ledger = try store.handOffs(HandOffFilter(), now: at).filter { $0.routeReason != nil }
        let perRep = Dictionary(grouping: ledger, by: { $0.repEmail ?? "" }).mapValues(\.count)
        print(postgres ? "store           PostgreSQL; each hand-off its own commit" : "store           SQLite, WAL; each hand-off its own commit")
        print("workers         \(handles.count)")
        print("without teams   \(grouped(handOffs)) hand-offs in \(fixed(plain.seconds)) s: \(grouped(Int(Double(handOffs) / plain.seconds)))/s")
        print("with teams      \(grouped(handOffs)) hand-offs in \(fixed(routed.seconds)) s: \(grouped(Int(Double(handOffs) / routed.seconds)))/s"
            + " (\(fixed(routed.seconds / plain.seconds, 2))× the time)")
        print("per rep         \(perRep.values.min() ?? 0)-\(perRep.values.max() ?? 0) of capacity \(capacity)")
        for handle in handles { (handle as? PostgresStore)?.close() }
        guard ledger.count == handOffs, perRep.values.allSatisfy({ $0 <= capacity }) else {
            throw BenchFailure("routed \(ledger.count) of \(handOffs); per rep \(perRep)")
        }
    }
}
