import Foundation
import NurtureTestSupport
import PropertyBased
import Testing
@testable import NurtureCore

/// Random event streams (opens, clicks, visits, forms, replies, meetings, suppressions, enrollments and
/// rep actions over about two months) for a lead in two or three sequences, checked against the
/// engine's promises.
@Suite("Engine properties")
struct EnginePropertyTests {
    // MARK: Definitions under test

    static let cap = FrequencyCap(emails: 2, per: span("7d"))
    static let scoreStepReasons: Set<String> = ["alpha hot", "beta nudge"]

    static let definitions: DefinitionSet = Fixtures.definitions([
        sequence(
            "alpha", reentry: .after(span("10d")),
            window: window([.tuesday, .wednesday, .thursday], "09:00-16:00", Zone.newYork), cap: cap,
            exits: [.event(.reply), .stageChange(to: ["sal", "disqualified"])],
            thresholds: [
                Threshold(condition: condition("score >= 50"), action: .notifyRep("alpha warming")),
                Threshold(condition: condition("score >= 80 and fit in [A, B]"), action: .handOff(reason: "alpha MQL")),
            ],
            steps: [
                .email("e1"), .wait("w1", "2d"), .email("e2"),
                .waitFor("watch", "clicked(case-study) or visited(pricing)", upTo: "4d", onEvent: "hot"),
                .branch("fork", [("fit in [A, B]", "e3")], otherwise: "e4"),
                .score("hot", 10, reason: "alpha hot", next: "e3"),
                .email("e3", next: "pause"),
                .email("e4"),
                .wait("pause", "3d"),
                .email("e5"),
                .branch("loop", [("clicked", "done")], otherwise: "again"),
                .wait("again", "3d", next: "e2"),
                .end("done"),
            ]),
        sequence(
            "beta", reentry: .always, sender: .owner, replyTo: .owner,
            window: window(weekdays, "08:00-18:00", Zone.sydney), cap: cap,
            exits: [.event(.reply), .event(.meetingBooked)],
            thresholds: [Threshold(condition: condition("engagement >= 30"), action: .notifyRep("beta engaged"))],
            steps: [
                .email("b1"), .wait("w1", "1d"), .email("b2"), .wait("w2", "12h"), .email("b3"),
                .score("nudge", -5, reason: "beta nudge"),
                .repTask("call", "Call about beta", due: "2d"),
                .email("b4"),
                .branch("check", [("score >= 70", "give")], otherwise: "fin"),
                .handOff("give", "beta done"),
                .end("fin"),
            ]),
    ])

    static let zones: [TimeZone?] = [nil, Zone.newYork, Zone.sydney, Zone.kolkata]
    static let categories: [String?] = [nil, "case-study", "pricing", "careers", "blog", "demo"]

    // MARK: Scenarios

    struct Item: Sendable {
        /// Hours since the previous item; below 20 means the same instant.
        var gap: Int
        var choice: Int
        var category: Int
        var minute: Int
    }

    struct Scenario: Sendable, CustomStringConvertible {
        var zone: Int
        var grade: Int
        var owned: Bool
        var startDay: Int
        var startHour: Int
        var items: [Item]

        var lead: Lead {
            Fixtures.lead(Fixtures.Grade.allCases[grade], zone: EnginePropertyTests.zones[zone], owner: owned ? Reps.dana : nil)
        }

        /// 25 February 2026 plus up to 20 days: the two months cover New York's and Sydney's changes.
        var start: Date { utc(2026, 2, 25).plus(days: Double(startDay), hours: Double(startHour)) }
        var until: Date { start.plus(days: 60) }

        var inputs: [(at: Date, input: Input)] {
            var now = start
            var result: [(at: Date, input: Input)] = [(start, .enroll(sequence: "alpha")), (start, .enroll(sequence: "beta"))]
            for item in items {
                if item.gap >= 20 {
                    now = now.plus(hours: Double(item.gap - 20), minutes: item.minute < 60 ? Double(item.minute) : 0)
                }
                guard now < until else { break }
                result.append((now, Self.input(item)))
            }
            return result
        }

        static func input(_ item: Item) -> Input {
            let category = EnginePropertyTests.categories[item.category]
            func event(_ kind: EngagementEvent.Kind) -> Input { .event(EngagementEvent(kind, category: category)) }
            return switch item.choice {
            case 0..<30, 160..<196: event(.emailOpen)
            case 30..<50: event(.emailClick)
            case 50..<70: event(.pageVisit)
            case 70..<76: event(.formFill)
            case 76..<80: event(.reply)
            case 80..<83: event(.meetingBooked)
            case 83..<110: .enroll(sequence: "alpha")
            case 110..<135: .enroll(sequence: "beta")
            case 135..<145: .repAction(RepAction("accept"))
            case 145..<150: .repAction(RepAction("reject", reason: "not-ready"))
            case 150..<153: .repAction(RepAction("reject", reason: "bad-fit"))
            case 153..<157: .repAction(RepAction("qualify"))
            case 157..<160: .repAction(RepAction("reject"))
            case 196: event(.unsubscribe)
            case 197: event(.hardBounce)
            case 198: event(.complaint)
            default: .enroll(sequence: "recycle")
            }
        }

        var description: String {
            "zone \(zone) grade \(grade) owned \(owned) start \(start): " + inputs.map { "\($0.at.timeIntervalSince(start) / 3600)h \($0.input)" }.joined(separator: "; ")
        }
    }

    static var scenarios: Generator<Scenario, some Sequence & SendableMetatype> {
        let item = zip(Gen.int(in: 0...80), Gen.int(in: 0...199), Gen.int(in: 0...5), Gen.int(in: 0...119))
            .map { Item(gap: $0.0, choice: $0.1, category: $0.2, minute: $0.3) }
        return zip(Gen.int(in: 0...3), Gen.int(in: 0...3), Gen.bool, Gen.int(in: 0...20), Gen.int(in: 0...23), item.array(of: 0...45))
            .map { Scenario(zone: $0.0, grade: $0.1, owned: $0.2, startDay: $0.3, startHour: $0.4, items: $0.5) }
    }

    // MARK: Driving

    struct Call {
        var at: Date
        var input: Input
        var before: LeadState
        var effects: [Effect]
        var after: LeadState
    }

    /// Replay's loop, keeping the state before and after every call.
    static func drive(_ engine: Engine, _ scenario: Scenario) -> (calls: [Call], stuck: Bool) {
        let lead = scenario.lead
        var state = engine.start(lead, at: scenario.start)
        var pending = scenario.inputs[...]
        var calls: [Call] = []
        while true {
            let wake = state.nextWake.flatMap { $0 <= scenario.until ? $0 : nil }
            let next = pending.first.flatMap { $0.at <= scenario.until ? $0 : nil }
            let item: (at: Date, input: Input)
            if let wake, next.map({ wake <= $0.at }) ?? true {
                if let last = calls.last, last.input == .timePassed, last.at == wake { return (calls, true) }
                item = (wake, .timePassed)
            } else if let next {
                item = next
                pending.removeFirst()
            } else {
                return (calls, false)
            }
            let before = state
            let effects = engine.step(&state, lead: lead, input: item.input, at: item.at)
            calls.append(Call(at: item.at, input: item.input, before: before, effects: effects, after: state))
        }
    }

    // MARK: Properties

    @Test func randomStreamsKeepTheEnginesPromises() async {
        let engine = Engine(Self.definitions)
        await propertyCheck(count: 150, input: Self.scenarios) { scenario in
            let lead = scenario.lead
            let (calls, stuck) = Self.drive(engine, scenario)
            #expect(!stuck, "a wake-up repeated without progress")
            #expect(calls.filter { $0.input != .timePassed }.count == scenario.inputs.count)

            // Replay does exactly the same.
            var replayState = engine.start(lead, at: scenario.start)
            let entries = Replay(engine: engine).run(lead: lead, state: &replayState, inputs: scenario.inputs, until: scenario.until)
            #expect(entries.map(\.effects) == calls.map(\.effects))
            #expect(entries.map(\.at) == calls.map(\.at))
            #expect(replayState == calls.last?.after)

            checkSends(calls, lead: lead)
            checkSuppression(calls)
            checkScore(calls, engine: engine, lead: lead, until: scenario.until)
            checkThresholdsAndStages(calls)
            if let final = calls.last?.after, let wake = final.nextWake {
                #expect(wake > scenario.until)
            }
        }
    }

    func checkSends(_ calls: [Call], lead: Lead) {
        var keys: Set<String> = []
        var times: [Date] = []
        for call in calls {
            var endedHere: Set<String> = []
            for effect in call.effects {
                switch effect {
                case let .enrolled(sequence): endedHere.remove(sequence)
                case let .exited(sequence, _), let .completed(sequence): endedHere.insert(sequence)
                case let .wake(_, at): #expect(at > call.at)
                case let .send(send):
                    let key = "\(send.sequence)/\(send.step)/\(send.enrolledAt.timeIntervalSince1970)"
                    #expect(!keys.contains(key), "sent twice: \(key)")
                    keys.insert(key)
                    times.append(send.at)
                    #expect(send.at == call.at)
                    let window = Self.definitions.sequences[send.sequence]!.sendWindow
                    #expect(window.contains(send.at, leadZone: lead.timeZone), "\(send.sequence)/\(send.step) at \(send.at)")
                    #expect(!endedHere.contains(send.sequence), "\(send.sequence) sent after it ended")
                    // The enrollment was active when the call began, or began during it.
                    let index = call.after.enrollments.lastIndex { $0.sequence == send.sequence && $0.enrolledAt == send.enrolledAt }
                    #expect(index != nil)
                    if let index, index < call.before.enrollments.count {
                        #expect(call.before.enrollments[index].isActive, "\(send.sequence) sent after it ended")
                    }
                default: break
                }
            }
        }
        // Every cap is 2 per 7 days and counts all sequences.
        for time in times {
            let recent = times.filter { $0 > time.addingTimeInterval(-Self.cap.per.nominalSeconds) && $0 <= time }
            #expect(recent.count <= Self.cap.emails, "\(recent.count) emails in the 7 days up to \(time)")
        }
    }

    func checkSuppression(_ calls: [Call]) {
        var suppressed = false
        for call in calls {
            if call.before.suppression != nil { #expect(suppressed) }
            for effect in call.effects {
                switch effect {
                case .suppressed:
                    #expect(!suppressed, "suppressed twice")
                    suppressed = true
                case .send, .enrolled: #expect(!suppressed, "\(effect) after suppression")
                default: break
                }
            }
            if suppressed { #expect(call.after.enrollments.allSatisfy { !$0.isActive }) }
        }
    }

    /// Engagement is the sum of every awarded point times 0.5^(age / half-life), with event points
    /// computed here from the scoring model and its caps, and score-step points from their effects.
    func checkScore(_ calls: [Call], engine: Engine, lead: Lead, until: Date) {
        let model = Self.definitions.scoring
        let halfLife = model.halfLife!.nominalSeconds
        var awards: [(at: Date, points: Double)] = []
        var periods: [EngagementEvent.Kind: (start: Date, used: Double)] = [:]

        func expected(at now: Date) -> (value: Double, scale: Double) {
            awards.reduce((0, 0)) { sum, award in
                let term = award.points * pow(0.5, now.timeIntervalSince(award.at) / halfLife)
                return (sum.0 + term, sum.1 + abs(term))
            }
        }

        for call in calls {
            if case let .event(event) = call.input, let rule = model.engagement[event.kind] {
                let offered = event.category.flatMap { rule.categories[$0] } ?? rule.points
                var awarded = offered
                if offered > 0, let cap = rule.cap {
                    var period = periods[event.kind] ?? (call.at, 0)
                    if call.at.timeIntervalSince(period.start) >= cap.per.nominalSeconds { period = (call.at, 0) }
                    awarded = min(offered, max(0, cap.points - period.used))
                    period.used += awarded
                    periods[event.kind] = period
                }
                if awarded != 0 {
                    awards.append((call.at, awarded))
                    let reported = call.effects.scoreChanges.first { !Self.scoreStepReasons.contains($0.reason) }
                    #expect(reported.map { abs(($0.to - $0.from) - awarded) < 1e-6 } == true, "\(event) should add \(awarded)")
                }
            }
            for change in call.effects.scoreChanges where Self.scoreStepReasons.contains(change.reason) {
                awards.append((call.at, change.to - change.from))
            }
            let (value, scale) = expected(at: call.at)
            let actual = engine.facts(call.after, lead: lead, at: call.at).engagement
            #expect(abs(actual - value) <= 1e-6 * max(1, scale), "engagement \(actual), expected \(value)")
        }
        if let last = calls.last {
            let (value, scale) = expected(at: until)
            let actual = engine.facts(last.after, lead: lead, at: until).engagement
            #expect(abs(actual - value) <= 1e-6 * max(1, scale))
            #expect(last.after.fitPoints == Self.definitions.scoring.fitPoints(for: lead))
        }
    }

    func checkThresholdsAndStages(_ calls: [Call]) {
        let effects = calls.flatMap(\.effects)
        for (sequence, message) in [("alpha", "alpha warming"), ("beta", "beta engaged")] {
            let enrolled = effects.filter { $0 == .enrolled(sequence: sequence) }.count
            let notified = effects.filter {
                if case let .notifyRep(_, text, from) = $0 { text == message && from == sequence } else { false }
            }.count
            #expect(notified <= enrolled, "\(message) fired \(notified) times for \(enrolled) enrollments")
        }
        let lifecycle = Self.definitions.lifecycle
        for change in effects.stageChanges {
            #expect(change.to == lifecycle.handoffStage
                || lifecycle.transitions.contains { $0.to == change.to && $0.starts(from: change.from) },
                "\(change.from) -> \(change.to)")
        }
        for call in calls {
            for effect in call.effects {
                if case let .enrolled(sequence) = effect {
                    // At most one active enrollment per sequence.
                    #expect(call.after.enrollments.filter { $0.sequence == sequence && $0.isActive }.count <= 1)
                }
            }
        }
    }
}
