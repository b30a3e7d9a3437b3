import Foundation
import NurtureCore
import PostgresNIO
import NurtureStore

/// A batch of the engine's decisions as columns, for statements that take each column as one array
/// parameter (`unnest`): a batch of any size is a fixed number of round trips.
///
/// PostgresNIO's arrays hold no NULL, so an absent value travels as a sentinel that no real value
/// takes and the statement turns back into NULL: NaN for a time (no wake-up), the empty string for
/// an address and empty bytes for a person.
struct LeadCommitBatch {
    var leadIDs: [String] = []
    var states: [ByteBuffer] = []
    var wakes: [Double] = []
    var processed: [String] = []
    var auditLeads: [String] = []
    var auditEntries: [String] = []
    var sends = Sends()

    struct Sends {
        var keys: [String] = []
        var leadIDs: [String] = []
        var sequences: [String] = []
        var steps: [String] = []
        var templates: [String] = []
        var enrolledAt: [Double] = []
        var dueAt: [Double] = []
        var senders: [ByteBuffer] = []
        var replyTos: [ByteBuffer] = []
        var senderEmails: [String] = []

        mutating func append(_ send: QueuedSend) {
            keys.append(send.key)
            leadIDs.append(send.leadID)
            sequences.append(send.sequence)
            steps.append(send.step)
            templates.append(send.template)
            enrolledAt.append(send.enrolledAt.seconds)
            dueAt.append(send.dueAt.seconds)
            senders.append(ByteBuffer(bytes: send.from.map(StoredForms.person) ?? Data()))
            replyTos.append(ByteBuffer(bytes: send.replyTo.map(StoredForms.person) ?? Data()))
            senderEmails.append(send.from?.email.lowercased() ?? "")
        }
    }

    init(_ updates: [LeadUpdate]) {
        for update in updates {
            leadIDs.append(update.leadID)
            states.append(ByteBuffer(bytes: StoredForms.state(update.state)))
            wakes.append(update.state.nextWake?.seconds ?? .nan)
            processed += update.processed
            auditLeads += Array(repeating: update.leadID, count: update.audit.count)
            auditEntries += update.audit
            for send in update.sends { sends.append(send) }
        }
    }
}
