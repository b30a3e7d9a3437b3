import Foundation
import NurtureCore

extension MessageRequest {
    /// One email step for one lead, as the scheduler sends it and `render` previews it, so the two
    /// never differ: the lead's rep from the lifecycle; the sender and reply-to the send names,
    /// else the sequence's; Message-IDs in the sender's domain unless one is given; tracking only
    /// when the sequence asks for it. Nil when the sequence sends as the lead's rep and the lead
    /// has none.
    public init?(
        step template: EmailTemplate, of sequence: NurtureSequence, lead: Lead, lifecycle: Lifecycle, key: String, date: Date,
        unsubscribe: UnsubscribeLinks, tracking: TrackingLinks? = nil, from: Rep? = nil, replyTo: Rep? = nil, domain: String? = nil
    ) {
        let rep = lifecycle.rep(for: lead)
        guard let sender = from ?? sequence.sender.resolved(rep: rep) else { return nil }
        self.init(
            template: template, lead: lead, rep: rep, from: sender, replyTo: replyTo ?? sequence.replyTo?.resolved(rep: rep), key: key,
            date: date, unsubscribe: unsubscribe, domain: domain ?? Self.domain(of: sender), tracking: sequence.tracking ? tracking : nil)
    }
}
