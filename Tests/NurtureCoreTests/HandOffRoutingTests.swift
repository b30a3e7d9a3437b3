import Foundation
import PropertyBased
import Testing
@testable import NurtureCore

/// The routing policy on its own: capacities, away dates, rotation, rejecters, and a full day.
@Suite("Hand-off routing")
struct HandOffRoutingTests {
    static let queue = Rep(name: "Sales Development", email: "sdr-queue@example.com")
    static let ana = Rep(name: "Ana Ruiz", email: "ana@example.com")
    static let ben = Rep(name: "Ben Okafor", email: "ben@example.com")
    static let cleo = Rep(name: "Cleo Park", email: "cleo@example.com")
    static let dev = Rep(name: "Dev Shah", email: "dev@example.com")
    /// Monday 2 March 2026.
    static let monday = CalendarDay(parsing: "2026-03-02")!

    static func rules(_ teams: [Team]) -> HandOffRouting.Rules {
        HandOffRouting.Rules(teams: teams, defaultOwner: queue, businessHours: window(weekdays, "09:00-17:00", Zone.newYork))
    }

    static let trio = rules([Team(name: "AEs", members: [
        .init(rep: ana, capacity: 3), .init(rep: ben, capacity: 3), .init(rep: cleo, capacity: 3),
    ])])

    static func route(
        _ rules: HandOffRouting.Rules, rep: Rep? = nil, day: CalendarDay = monday, assigned: [String: Int] = [:],
        rejectedBy: Set<String> = [], cursor: String? = nil
    ) -> HandOffRouting.Decision {
        HandOffRouting.route(.init(rep: rep, day: day, assigned: assigned, rejectedBy: rejectedBy, cursor: cursor), rules: rules)
    }

    @Test("an owner who is present keeps the lead, even at capacity and after rejecting it before")
    func ownerKeepsLead() {
        let decision = Self.route(Self.trio, rep: Self.ben, assigned: ["ben@example.com": 9], rejectedBy: ["ben@example.com"])
        #expect(decision.rep == Self.ben)
        #expect(decision.reason.description == "owner")
        #expect(!decision.movesCursor)
        // An owner on no team keeps it too.
        #expect(Self.route(Self.trio, rep: Self.dev).rep == Self.dev)
    }

    @Test("a lead with no owner, or the queue's, goes to the member with the most capacity left")
    func mostCapacityLeft() {
        let assigned = ["ana@example.com": 2, "ben@example.com": 0, "cleo@example.com": 1]
        let none = Self.route(Self.trio, assigned: assigned)
        #expect(none.rep == Self.ben)
        #expect(none.reason.description == "no-owner, most-capacity-left")
        let queued = Self.route(Self.trio, rep: Rep(name: "Queue", email: "SDR-Queue@example.com"), assigned: assigned)
        #expect(queued.rep == Self.ben)
        #expect(queued.reason.description == "default-queue, most-capacity-left")
        #expect(queued.movesCursor)
    }

    @Test("capacity left, not hand-offs received, decides: a member with a larger capacity takes more")
    func capacitiesDiffer() {
        let rules = Self.rules([Team(name: "AEs", members: [.init(rep: Self.ana, capacity: 10), .init(rep: Self.ben, capacity: 2)])])
        // Ana has had 5 (5 left); Ben 0 (2 left).
        #expect(Self.route(rules, assigned: ["ana@example.com": 5]).rep == Self.ana)
    }

    @Test("ties go round after the cursor, in the order of teams:")
    func tiesRotate() {
        #expect(Self.route(Self.trio).rep == Self.ana)
        #expect(Self.route(Self.trio, cursor: "ana@example.com").rep == Self.ben)
        #expect(Self.route(Self.trio, cursor: "cleo@example.com").rep == Self.ana)
        // Ben is not tied: after Ana comes Cleo.
        let decision = Self.route(Self.trio, assigned: ["ben@example.com": 1], cursor: "ana@example.com")
        #expect(decision.rep == Self.cleo)
        #expect(decision.reason.how == .rotation)
        // A cursor that names no member starts at the head.
        #expect(Self.route(Self.trio, cursor: "gone@example.com").rep == Self.ana)
    }

    @Test("an away owner's lead goes to their team; away members get nothing on their days")
    func awayDates() {
        let holiday = Self.monday...Self.monday.adding(days: 4)
        let rules = Self.rules([
            Team(name: "AEs", members: [.init(rep: Self.ana, capacity: 3, away: [holiday]), .init(rep: Self.ben, capacity: 3)]),
            Team(name: "SDRs", members: [.init(rep: Self.cleo, capacity: 50)]),
        ])
        let away = Self.route(rules, rep: Self.ana)
        #expect(away.rep == Self.ben, "the owner's own team, though Cleo has more room")
        #expect(away.reason.description == "owner-away, most-capacity-left")
        // With no owner, the pool is everyone present: Ana is away, Cleo has the most room.
        #expect(Self.route(rules).rep == Self.cleo)
        // The day after the holiday, Ana is back and keeps her lead.
        #expect(Self.route(rules, rep: Self.ana, day: Self.monday.adding(days: 7)).rep == Self.ana)
    }

    @Test("a rep who rejected the lead is left out, unless only rejecters are present")
    func rejectersExcluded() {
        let rejected = Self.route(Self.trio, assigned: ["ben@example.com": 2, "cleo@example.com": 2], rejectedBy: ["ana@example.com"])
        #expect(rejected.rep != Self.ana)
        #expect(rejected.reason.notes == [.rejectedBeforeExcluded])
        #expect(rejected.reason.description == "no-owner, rotation, rejected-before-excluded")

        // An away owner's lead is not given to a teammate who rejected it.
        let holiday = Self.monday...Self.monday
        let rules = Self.rules([Team(name: "AEs", members: [
            .init(rep: Self.ana, capacity: 3, away: [holiday]), .init(rep: Self.ben, capacity: 3), .init(rep: Self.cleo, capacity: 1),
        ])])
        let away = Self.route(rules, rep: Self.ana, rejectedBy: ["ben@example.com"])
        #expect(away.rep == Self.cleo)
        #expect(away.reason.description == "owner-away, most-capacity-left, rejected-before-excluded")

        let all = Self.route(Self.trio, assigned: ["cleo@example.com": 1], rejectedBy: ["ana@example.com", "ben@example.com", "cleo@example.com"])
        #expect(all.rep == Self.ana)
        #expect(all.reason.notes == [.onlyRejectersLeft])
    }

    @Test("when everyone is at capacity the least over still gets it, and the reason says so")
    func everyoneFull() {
        let decision = Self.route(Self.trio, assigned: ["ana@example.com": 5, "ben@example.com": 3, "cleo@example.com": 4])
        #expect(decision.rep == Self.ben)
        #expect(decision.reason.description == "no-owner, most-capacity-left, everyone-at-capacity")
    }

    @Test("when every candidate is away the queue takes it")
    func noOneAvailable() {
        let all = Self.monday...Self.monday
        let rules = Self.rules([Team(name: "AEs", members: [.init(rep: Self.ana, capacity: 3, away: [all]), .init(rep: Self.ben, capacity: 3, away: [all])])])
        let decision = Self.route(rules, rep: Self.ana)
        #expect(decision.rep == Self.queue)
        #expect(decision.reason.description == "owner-away, no-one-available")
        #expect(!decision.movesCursor)
    }

    // MARK: Properties

    /// A random team set-up and a day of hand-offs: capacities, away flags, rejecters, owners.
    struct Day: Sendable {
        var capacities: [Int]
        var away: [Bool]
        var rejecters: [Bool]
        var handOffs: Int
    }

    static var days: Generator<Day, some Sequence & SendableMetatype> {
        zip(Gen.int(in: 1...6).array(of: 1...6), Gen.bool.array(of: 6...6), Gen.bool.array(of: 6...6), Gen.int(in: 0...40))
            .map { Day(capacities: $0.0, away: $0.1, rejecters: $0.2, handOffs: $0.3) }
    }

    static func members(_ day: Day) -> [Team.Member] {
        day.capacities.enumerated().map { index, capacity in
            Team.Member(rep: Rep(name: "Rep \(index)", email: "rep\(index)@example.com"), capacity: capacity,
                        away: day.away[index] ? [monday...monday] : [])
        }
    }

    @Test("a day of routing: no one is given more than their capacity while someone present has room, and the same inputs give the same rep")
    func noOneOverWhileOthersHaveRoom() async {
        await propertyCheck(count: 300, input: Self.days) { day in
            let members = Self.members(day)
            let rules = Self.rules([Team(name: "All", members: members)])
            let rejected = Set(members.indices.filter { day.rejecters[$0] }.map { "rep\($0)@example.com" })
            var assigned: [String: Int] = [:]
            var cursor: String?
            for _ in 0..<day.handOffs {
                let request = HandOffRouting.Request(rep: nil, day: Self.monday, assigned: assigned, rejectedBy: rejected, cursor: cursor)
                let decision = HandOffRouting.route(request, rules: rules)
                #expect(HandOffRouting.route(request, rules: rules) == decision)
                let email = decision.rep.email
                let present = members.filter { !$0.isAway(on: Self.monday) }
                let eligible = present.filter { !rejected.contains($0.rep.email) }
                let pool = eligible.isEmpty ? present : eligible
                func left(_ member: Team.Member) -> Int { member.capacity - assigned[member.rep.email, default: 0] }
                if pool.isEmpty {
                    #expect(decision.rep == Self.queue)
                    continue
                }
                let chosen = pool.first { $0.rep.email == email }
                #expect(chosen != nil, "the rep is present, and no rejecter unless only rejecters are")
                if let chosen, left(chosen) <= 0 {
                    #expect(pool.allSatisfy { left($0) <= 0 }, "over capacity only when everyone is")
                }
                #expect(left(chosen!) == pool.map(left).max())
                assigned[email, default: 0] += 1
                if decision.movesCursor { cursor = email }
            }
            // Members with the same capacity end the day within one hand-off of each other.
            let present = members.filter { !$0.isAway(on: Self.monday) && !rejected.contains($0.rep.email) }
            for a in present {
                for b in present where a.capacity == b.capacity {
                    #expect(abs(assigned[a.rep.email, default: 0] - assigned[b.rep.email, default: 0]) <= 1)
                }
            }
        }
    }
}
