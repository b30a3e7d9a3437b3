import Foundation
import NurtureCore
import NurtureStore

/// Rep-requested nurtures: a rep asks for one of their prospects to be nurtured, with a note and
/// an end date. A request that could not run as asked is refused with its reason, before anything
/// is recorded: the engine is asked on a copy of the lead whether it would enroll it.
public struct RequestDesk: Sendable {
    public let store: any SalesLoopStore
    public let definitions: DefinitionSet

    public init(store: any SalesLoopStore, definitions: DefinitionSet) {
        self.store = store
        self.definitions = definitions
    }

    public func request(
        _ sequenceID: String, lead reference: String, repEmail: String, note: String?, until: Date?, reassign: Bool, at now: Date
    ) throws -> NurtureRequest {
        guard definitions.sequences[sequenceID] != nil else {
            throw OperationError("no sequence '\(sequenceID)'; known: \(definitions.sequences.keys.sorted().joined(separator: ", "))")
        }
        guard let rep = definitions.lifecycle.rep(email: repEmail) else {
            throw OperationError("no rep \(repEmail) in lifecycle.yml's reps")
        }
        if let note, note.count > 2_000 { throw OperationError("the note is \(note.count) characters; at most 2,000") }
        if let until, until <= now { throw OperationError("--until must be in the future") }
        guard let leadID = try store.leadID(for: reference), let (stored, state) = try store.lead(leadID) else {
            throw OperationError("no lead '\(reference)' in the store")
        }
        if let owner = stored.owner, owner.email.lowercased() != rep.email.lowercased(), !reassign {
            throw OperationError("\(stored.email) belongs to \(owner.name) <\(owner.email)>; add --reassign to take it over")
        }
        if try store.leadsForSending([leadID])[leadID]?.suppressed ?? false || state?.suppression != nil {
            throw OperationError("\(stored.email) is suppressed (unsubscribed, bounced or complained): it cannot be nurtured")
        }
        var lead = stored
        lead.owner = rep
        // The engine decides, on a copy: audience, re-entry, an enrollment already running, the
        // lead's fields and the rep's (the rep's profile in lifecycle.yml must give what the emails use).
        let engine = Engine(definitions)
        var trial = state ?? engine.start(lead, at: now)
        for effect in engine.step(&trial, lead: lead, input: .enroll(sequence: sequenceID), at: now) {
            if case let .enrollmentRefused(_, reason) = effect {
                throw OperationError("\(stored.email) cannot enter \(sequenceID): \(reason)")
            }
        }
        let id = try store.addRequest(
            leadID: leadID, sequence: sequenceID, rep: rep, note: note, until: until,
            newOwner: stored.owner == rep ? nil : lead, at: now)
        guard let request = try store.request(id) else { throw OperationError("request \(id) was not recorded") }
        return request
    }

    /// Cancels an open request (the rep's own, when `repEmail` is given).
    public func cancel(_ id: Int64, repEmail: String? = nil, at now: Date) throws -> NurtureRequest {
        guard let request = try store.request(id), repEmail.map({ $0.lowercased() == request.repEmail }) ?? true else {
            throw OperationError("no request \(id)")
        }
        guard !request.status.isFinal else { throw OperationError("request \(id) is already \(request.status.rawValue)") }
        try store.cancelRequest(id, at: now)
        return try store.request(id) ?? request
    }
}
