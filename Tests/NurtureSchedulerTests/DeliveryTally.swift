import Foundation
import NurtureTestSupport

/// What a capturing relay received, counted for the exactly-once and at-least-once checks: a
/// duplicate is the same message again (same Message-ID, same recipient).
struct DeliveryTally {
    let messages: [CapturedMessage]
    /// The distinct Message-IDs.
    let distinct: Set<String>
    /// The recipients, lower-cased, each as often as it was sent to.
    let recipients: [String]
    /// Messages without a Message-ID (there should be none).
    let missingIDs: Int
    /// Message-IDs seen with more than one recipient (there should be none: a retry is the same message).
    let idsWithSeveralRecipients: Int

    init(_ messages: [CapturedMessage]) {
        self.messages = messages
        let ids = messages.compactMap(\.messageID)
        distinct = Set(ids)
        missingIDs = messages.count - ids.count
        recipients = messages.flatMap { $0.envelope.rcpt_tos.map { $0.lowercased() } }
        var recipientsByID: [String: Set<String>] = [:]
        for message in messages {
            guard let id = message.messageID else { continue }
            recipientsByID[id, default: []].formUnion(message.envelope.rcpt_tos.map { $0.lowercased() })
        }
        idsWithSeveralRecipients = recipientsByID.values.filter { $0.count > 1 }.count
    }

    /// Messages beyond the first of each Message-ID.
    var duplicates: Int { messages.count - distinct.count }

    /// Addresses of `expected` that received nothing.
    func missing(from expected: [String]) -> Set<String> { Set(expected).subtracting(recipients) }
}
