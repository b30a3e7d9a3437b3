import Foundation
import NurtureCore
import NurtureStore

/// A rep's answers to hand-offs and the outcomes that follow: each is checked against the
/// lifecycle and the lead's stage first, then recorded in the ledger and queued for the engine in
/// one transaction, so `lifecycle.yml`'s moves and recycling happen for real on the next pass.
public struct HandOffDesk: Sendable {
    public let store: any SalesLoopStore
    public let lifecycle: Lifecycle

    public init(store: any SalesLoopStore, lifecycle: Lifecycle) {
        self.store = store
        self.lifecycle = lifecycle
    }

    /// The hand-off, which must exist (and, when `repEmail` is given, be that rep's).
    public func handOff(_ id: Int64, repEmail: String? = nil) throws -> HandOffRecord {
        guard let record = try store.handOff(id),
              repEmail.map({ $0.lowercased() == record.repEmail }) ?? true
        else { throw OperationError("no hand-off \(id)") }
        return record
    }

    /// The lead's stage as the engine last left it.
    func stage(of leadID: String) throws -> String {
        guard let (lead, state) = try store.lead(leadID) else { throw OperationError("no lead '\(leadID)' in the store") }
        return state?.stage ?? lead.stage ?? lifecycle.entryStage
    }

    public func accept(_ id: Int64, repEmail: String? = nil, at now: Date) throws -> HandOffRecord {
        try answer(id, with: RepAction("accept"), accepted: true, repEmail: repEmail, at: now)
    }

    public func reject(_ id: Int64, reason: String, repEmail: String? = nil, at now: Date) throws -> HandOffRecord {
        guard RepAction(parsing: reason) != nil, !reason.contains("(") else {
            throw OperationError("'\(reason)' is not a reason; reasons are words such as not-ready or bad-fit")
        }
        return try answer(id, with: RepAction("reject", reason: reason), accepted: false, repEmail: repEmail, at: now)
    }

    func answer(
        _ id: Int64, with action: RepAction, accepted: Bool, repEmail: String?, source: String = "rep", at now: Date
    ) throws -> HandOffRecord {
        let record = try handOff(id, repEmail: repEmail)
        guard record.status == .open else {
            throw OperationError("hand-off \(id) is already \(record.status.rawValue)\(record.answer.map { " (\($0))" } ?? "")")
        }
        let stage = try stage(of: record.leadID)
        // A lead sales already owns (a hand-back from a rep's own nurture) may have no move for an
        // accept: the rep takes it back where it is, and only the ledger records the answer.
        var moves = true
        if let problem = lifecycle.problem(with: action, inStage: stage) {
            guard accepted, case .notFromStage = problem, lifecycle.owner(of: stage) == .sales else {
                throw OperationError(problem.description)
            }
            moves = false
        }
        // The first touch is due within the service level of the stage the answer leaves the lead in.
        let next = moves ? lifecycle.transitions.first { $0.matches(action) && $0.starts(from: stage) }?.to : stage
        let touchDue = accepted
            ? next.flatMap { lifecycle.serviceLevel(for: $0) }?.within.deadline(from: now, businessHours: lifecycle.businessHours)
            : nil
        try store.answer(id, with: action, accepted: accepted, touchDue: touchDue, movesLead: moves, at: now, source: source)
        return try handOff(id)
    }

    /// Records the first personal touch on an accepted hand-off.
    public func touch(_ id: Int64, repEmail: String? = nil, at now: Date) throws -> HandOffRecord {
        let record = try handOff(id, repEmail: repEmail)
        guard record.status == .accepted else {
            throw OperationError("hand-off \(id) is \(record.status.rawValue): accept it before recording a touch")
        }
        if let touched = record.touchedAt { throw OperationError("hand-off \(id) was first touched at \(touched) already") }
        if now < record.at { throw OperationError("a touch cannot come before the hand-off (\(record.at))") }
        try store.touch(id, at: now)
        return try handOff(id)
    }

    /// Any other rep action the lifecycle knows (`qualify`, `disqualify(not-ready)`, `won`,
    /// `lost(competitor)`), for a lead by id or email. A `qualify` or `won` may carry the deal's value.
    public func outcome(
        lead reference: String, action text: String, value: DealValue? = nil, source: String = "rep", at now: Date
    ) throws -> RepAction {
        guard let action = RepAction(parsing: text) else {
            throw OperationError("'\(text)' is not an action; write a verb or verb(reason), e.g. won or lost(competitor)")
        }
        var valueStore: (any LoopReportStore)?
        if value != nil {
            guard DealValue.verbs.contains(action.verb) else {
                throw OperationError("only \(DealValue.verbs.sorted().joined(separator: " and ")) carry an amount, not \(action)")
            }
            guard let store = store as? any LoopReportStore else { throw OperationError("this store does not keep deal values") }
            valueStore = store
        }
        guard let leadID = try store.leadID(for: reference) else { throw OperationError("no lead '\(reference)' in the store") }
        let stage = try stage(of: leadID)
        if let problem = lifecycle.problem(with: action, inStage: stage) { throw OperationError(problem.description) }
        // An accept or reject of an open hand-off answers it in the ledger too.
        if action.verb == "accept" || action.verb == "reject",
           let open = try store.handOffs(HandOffFilter(leadID: leadID, status: .open), now: now).last {
            _ = try answer(open.id, with: action, accepted: action.verb == "accept", repEmail: nil, source: source, at: now)
            return action
        }
        if let value, let valueStore {
            try valueStore.recordAction(action, value: value, leadID: leadID, at: now, source: source)
        } else {
            try store.recordAction(action, leadID: leadID, handOffID: nil, at: now, source: source)
        }
        return action
    }
}
