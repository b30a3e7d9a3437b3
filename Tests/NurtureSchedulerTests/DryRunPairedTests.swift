import Foundation
import NurtureCore
import NurtureDefinitions
import NurtureOperations
import NurturePersonas
import NurtureSimulator
import NurtureStore
import NurtureTestSupport
import Testing

/// The paired check of the engine's two drivers. The dry-run tells each prospect's story
/// (``ProspectTrace``): the events it produced and its reps' answers, at their times. The same
/// stream then goes to the scheduler, on a virtual clock, with a real SQLite file: events through the
/// inbox, answers through the hand-off desk. Both must then have sent the same emails at the same
/// times, handed off at the same instants, and left every lead in the same stage and enrollments.
/// With reps that reject half their hand-offs, rejections recycle leads into re-engagement, its
/// emails go out and are answered, and late answers expire into the queue: what the dry-run
/// forecasts is what the scheduler does, whether prospects enter at once or arrive over the weeks.
@Suite(.timeLimit(.minutes(8)))
struct DryRunPairedTests {
    /// Monday 2 March 2026, 09:00 in New York.
    static let start = utc(2026, 3, 2, 14)
    static let days = 45

    static func setup(_ definitions: DefinitionSet) throws -> SimulationSetup {
        let file = PackageFolders.root.appendingPathComponent("examples/personas/b2b-saas.yml").path
        var population = try #require(PersonaLoader.load(path: file).population, "the shipped persona file loads")
        // Half the hand-offs rejected, and answers slow enough that some pass the service level.
        population.reps = RepBehaviour(
            acceptance: [:], defaultAcceptance: 0.5, timeToAnswer: LogNormalDelay(median: .hours(4), spread: 1.2),
            timeToFirstTouch: LogNormalDelay(median: .hours(5), spread: 0.9),
            rejectionReasons: Mix([("not-ready", 0.7), ("bad-fit", 0.3)])!)
        return SimulationSetup(
            definitions: definitions, sequence: "post-webinar", population: population, prospects: 1_500, days: days, seed: 19,
            start: start, reps: 3)
    }

    /// Everyone enrolled at the start, or arriving at 100 a business day as a paced enrolment.
    @Test(arguments: [false, true])
    func theSchedulerDoesWhatTheDryRunDidOnTheSameStream(arriving: Bool) async throws {
        let definitions = try TestEnvironment.shippedDefinitions.get()
        var setup = try Self.setup(definitions)
        if arriving { setup.arrive(.perBusinessDay(100)) }
        let all = try (0..<setup.prospects).map { try Simulation.trace(setup, prospect: $0) }
        // Every prospect whose rep answered or let a hand-off expire, and as many quiet ones.
        let handedOff = all.filter { !$0.handOffs.isEmpty }
        let quiet = all.filter { $0.handOffs.isEmpty }.prefix(handedOff.count)
        let traces = Array(handedOff) + quiet
        let rejections = handedOff.flatMap(\.inputs).filter { if case .repAction(let a) = $0.input { a.verb == "reject" } else { false } }
        let recycled = handedOff.filter { trace in trace.state.enrollments.contains { $0.sequence == "recycled-reengagement" } }
        try #require(handedOff.count >= 20, "\(handedOff.count) hand-offs")
        try #require(rejections.count >= 5 && recycled.count >= 3, "\(rejections.count) rejections, \(recycled.count) recycled")
        #expect(recycled.contains { trace in trace.sends.contains { $0.sequence == "recycled-reengagement" } },
                "re-engagement emails go out in the dry-run")

        let folder = try TemporaryFolder.make("nurture-paired")
        defer { TemporaryFolder.remove(folder) }
        let rig = try VirtualRig(
            folder: folder, definitions: definitions, transport: RetryInProcessTests.ScriptedTransport([]), start: Self.start)
        let desk = HandOffDesk(store: rig.store, lifecycle: definitions.lifecycle)
        let ids = traces.indices.map { "P-\($0)" }
        let required = Set(definitions.sequences.values.flatMap(\.requiredFields))
        _ = try rig.store.upsert(traces.enumerated().map { index, trace in
            var lead = trace.lead
            lead.id = ids[index]
            lead.email = "p\(index)@example.org"
            lead.stage = definitions.lifecycle.entryStage
            // The dry-run renders nothing, so its leads carry only what scoring reads; the
            // scheduler renders every email and needs the rest.
            for field in required where lead.attributes[field] == nil { lead.attributes[field] = "Pat" }
            lead.owner = lead.owner.map { Rep(name: $0.name, email: $0.email, title: "Account Executive", phone: "+1 312 555 0100") }
            return lead
        })
        _ = try rig.store.append(traces.enumerated().map { index, trace in
            InboxItem.enrollment(in: setup.sequence, leadID: ids[index], at: trace.arrival)
        })

        // The recorded stream, in time order; at one instant, leads in turn and each lead's in order.
        let stream = traces.enumerated().flatMap { index, trace in trace.inputs.map { (lead: ids[index], at: $0.at, input: $0.input) } }
            .enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
        for (number, item) in stream.enumerated() {
            try await rig.drive(until: item.at)
            switch item.input {
            case let .event(event):
                _ = try rig.store.append([InboxItem(
                    id: "paired|\(number)", leadID: item.lead, at: item.at,
                    payload: .event(kind: event.kind.rawValue, category: event.category, sequence: event.sequence, step: event.step))])
            case let .repAction(action):
                let open = try rig.store.handOffs(HandOffFilter(leadID: item.lead), now: item.at).filter { $0.status == .open }
                let handOff = try #require(open.last, "\(item.lead) has an open hand-off for \(action) at \(item.at)")
                if action.verb == "accept" {
                    _ = try desk.accept(handOff.id, at: item.at)
                } else {
                    _ = try desk.reject(handOff.id, reason: try #require(action.reason), at: item.at)
                }
            default:
                Issue.record("the dry-run recorded \(item.input), which reaches the engine from outside only as an event or an answer")
            }
        }
        let horizon = Self.start.addingTimeInterval(Double(Self.days) * 86_400)
        try await rig.drive(until: horizon, maxPasses: 50_000)

        let file = try rig.file()
        var sends: [String: [ProspectTrace.Sent]] = [:]
        for row in try file.rows("SELECT lead_id, sequence, step, due_at FROM send ORDER BY due_at, rowid") {
            let sent = ProspectTrace.Sent(at: Date(timeIntervalSince1970: row["due_at"]), sequence: row["sequence"], step: row["step"])
            sends[row["lead_id"], default: []].append(sent)
        }
        var handOffs: [String: [Date]] = [:]
        for record in try rig.store.handOffs(HandOffFilter(), now: horizon) where !record.reason.hasPrefix("expired unanswered") {
            handOffs[record.leadID, default: []].append(record.at)
        }
        let expired = try rig.store.handOffs(HandOffFilter(status: .expired), now: horizon)
        #expect(expired.count >= 2, "answers later than the service level expire into the queue: \(expired.count)")
        var differ = 0
        for (index, trace) in traces.enumerated() where differ < 5 {
            let id = ids[index]
            let state = try #require(try rig.store.lead(id)?.1, "\(id) has an engine state")
            let scheduled = Self.story(sends: sends[id] ?? [], handOffs: (handOffs[id] ?? []).sorted(), state: state)
            let dryRun = Self.story(sends: trace.sends, handOffs: trace.handOffs, state: trace.state)
            if scheduled != dryRun { differ += 1 }
            #expect(scheduled == dryRun, "\(id), inputs:\n\(trace.inputs.map { "\($0.at) \($0.input)" }.joined(separator: "\n"))")
        }
    }

    /// What a driver made of a lead's stream, line by line: times to the millisecond, as the store keeps them.
    static func story(sends: [ProspectTrace.Sent], handOffs: [Date], state: LeadState) -> [String] {
        func time(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
        return sends.map { "sent \(time($0.at)) \($0.sequence)/\($0.step)" } + handOffs.map { "handed off \(time($0))" }
            + ["stage \(state.stage)"] + state.enrollments.map { "enrollment \($0.sequence) \($0.status)" }
    }
}
