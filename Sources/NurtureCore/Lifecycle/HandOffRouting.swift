/// Who receives a hand-off when the lifecycle has teams: a pure policy, decided where the
/// hand-off is recorded, from the day's counts the store reads in the same transaction.
///
/// The rules, in order:
/// 1. A lead whose owner is a rep (not the default queue) and present that day goes to its owner,
///    whatever the owner's load, and even when the owner rejected it before as not ready: the
///    relationship is theirs (`request --reassign` or an import changes the owner).
/// 2. Otherwise (no owner, the default queue, or the owner away) the hand-off goes to a member of
///    the owner's team, or of any team when the owner is on none. Members away that day are left
///    out, and so is every rep who rejected this lead before.
/// 3. Of those, the member with the most capacity left that day (capacity minus the hand-offs
///    already counted on that day, see `HandOffCapacity`) gets it. Ties go round: the first tied
///    member after the last rep the teams were given a hand-off (the cursor), in the order of
///    `teams:`.
/// 4. When everyone left is at capacity, the one least over it still gets it (a hand-off is never
///    left with no one), and the reason says `everyone-at-capacity`.
/// 5. When only reps who rejected the lead are present, it goes back to one of them, chosen as
///    above, and the reason says `only-rejecters-left`.
/// 6. When every candidate is away, it goes to the default queue: `no-one-available`.
public enum HandOffRouting {
    /// What routing needs from `lifecycle.yml`.
    public struct Rules: Hashable, Sendable {
        public var teams: [Team]
        /// The queue: hand-offs to it are routed, and it takes those no one is present to answer.
        public var defaultOwner: Rep
        /// The clock and days capacity is counted on.
        public var businessHours: SendWindow

        public init(teams: [Team], defaultOwner: Rep, businessHours: SendWindow) {
            self.teams = teams
            self.defaultOwner = defaultOwner
            self.businessHours = businessHours
        }

        func team(of email: String) -> Team? { teams.first { $0.member(email) != nil } }

        /// Every member of every team, each once, in the order of `teams:`.
        var everyone: [Team.Member] { teams.flatMap(\.members) }
    }

    /// One hand-off to route, with what the ledger says about the day and the lead.
    public struct Request: Hashable, Sendable {
        /// The rep the engine named: the lead's owner, or the default queue, or nil.
        public var rep: Rep?
        /// The business day the hand-off counts on (`HandOffCapacity.day(of:businessHours:)`).
        public var day: CalendarDay
        /// Hand-offs already counted on `day`, by rep address in lower case.
        public var assigned: [String: Int]
        /// Addresses (lower case) of the reps who rejected this lead before.
        public var rejectedBy: Set<String>
        /// The last rep the teams were given a hand-off, lower case: ties go round after it.
        public var cursor: String?

        public init(rep: Rep?, day: CalendarDay, assigned: [String: Int], rejectedBy: Set<String>, cursor: String?) {
            self.rep = rep
            self.day = day
            self.assigned = assigned
            self.rejectedBy = rejectedBy
            self.cursor = cursor
        }
    }

    /// Why a hand-off went where it did, as the ledger keeps it: `owner`, or why the owner did not
    /// get it, how the rep was chosen, and anything unusual (`owner-away, rotation`).
    public struct Reason: Hashable, Sendable, CustomStringConvertible {
        public enum Why: String, Hashable, Sendable {
            case owner
            case noOwner = "no-owner"
            case defaultQueue = "default-queue"
            case ownerAway = "owner-away"
        }

        public enum How: String, Hashable, Sendable {
            case owner
            case mostCapacityLeft = "most-capacity-left"
            case rotation
            case noOneAvailable = "no-one-available"
        }

        public enum Note: String, Hashable, Sendable {
            case rejectedBeforeExcluded = "rejected-before-excluded"
            case onlyRejectersLeft = "only-rejecters-left"
            case everyoneAtCapacity = "everyone-at-capacity"
        }

        public var why: Why
        public var how: How
        public var notes: [Note]

        public init(why: Why, how: How, notes: [Note] = []) {
            self.why = why
            self.how = how
            self.notes = notes
        }

        public static let owner = Reason(why: .owner, how: .owner)

        public var description: String {
            why == .owner ? "owner" : ([why.rawValue, how.rawValue] + notes.map(\.rawValue)).joined(separator: ", ")
        }
    }

    public struct Decision: Hashable, Sendable {
        public var rep: Rep
        public var reason: Reason
        /// Whether a team member was chosen: the cursor moves to them.
        public var movesCursor: Bool { reason.how == .mostCapacityLeft || reason.how == .rotation }
    }

    /// The rep a hand-off goes to, and why. Deterministic: the same request always gives the same
    /// decision.
    public static func route(_ request: Request, rules: Rules) -> Decision {
        let rejected = request.rejectedBy
        let owner = request.rep.flatMap { $0.email.lowercased() == rules.defaultOwner.email.lowercased() ? nil : $0 }
        let ownerMember = owner.flatMap { rules.team(of: $0.email)?.member($0.email) }
        let why: Reason.Why
        switch (request.rep, owner) {
        case (nil, _): why = .noOwner
        case (_?, nil): why = .defaultQueue
        case let (_, owner?):
            guard ownerMember?.isAway(on: request.day) ?? false else { return Decision(rep: owner, reason: .owner) }
            why = .ownerAway
        }

        let pool = owner.flatMap { rules.team(of: $0.email)?.members } ?? rules.everyone
        let present = pool.filter { !$0.isAway(on: request.day) }
        var candidates = present.filter { !rejected.contains($0.rep.email.lowercased()) }
        var notes: [Reason.Note] = []
        if candidates.isEmpty {
            guard !present.isEmpty else {
                return Decision(rep: rules.defaultOwner, reason: Reason(why: why, how: .noOneAvailable))
            }
            candidates = present
            notes.append(.onlyRejectersLeft)
        } else if candidates.count < present.count {
            notes.append(.rejectedBeforeExcluded)
        }

        func left(_ member: Team.Member) -> Int { member.capacity - request.assigned[member.rep.email.lowercased(), default: 0] }
        let most = candidates.map(left).max()!
        let tied = candidates.filter { left($0) == most }
        if most <= 0 { notes.append(.everyoneAtCapacity) }
        guard tied.count > 1 else {
            return Decision(rep: tied[0].rep, reason: Reason(why: why, how: .mostCapacityLeft, notes: notes))
        }
        // Round the pool from the member after the cursor; a cursor off the pool starts at its head.
        let start = request.cursor.flatMap { cursor in pool.firstIndex { $0.rep.email.lowercased() == cursor } }.map { $0 + 1 } ?? 0
        let tiedEmails = Set(tied.map { $0.rep.email.lowercased() })
        let next = (0..<pool.count).lazy.map { pool[(start + $0) % pool.count] }.first { tiedEmails.contains($0.rep.email.lowercased()) }!
        return Decision(rep: next.rep, reason: Reason(why: why, how: .rotation, notes: notes))
    }
}
