import Foundation
import NurtureCore
import NurtureMail
import NurtureOperations
import NurtureStore
import NurtureTokens

/// A sign-in link for a rep or an operator, and the plain-text email that carries it to their own
/// address. The token is 256 random bits; only its hash is stored, and it is never printed: the
/// email is the one place it appears.
public struct SignInInvitation: Sendable {
    public var email: String
    public var expiresAt: Date
    public var message: RenderedEmail

    /// Records a new link for `email`, which lifecycle.yml must list as a rep (the default owner
    /// counts) or an operator, and renders the email from the rep notices' sender.
    public static func make(
        for email: String, definitions: DefinitionSet, store: any RepSessionStore, publicURL: PublicURL, now: Date
    ) throws -> SignInInvitation {
        let lifecycle = definitions.lifecycle
        guard let person = lifecycle.rep(email: email) ?? lifecycle.operator(email: email) else {
            throw OperationError("\(email) is neither a rep nor an operator in lifecycle.yml (reps:, operators:)")
        }
        guard let from = lifecycle.notices.from ?? lifecycle.defaultOwner else {
            throw OperationError("no sender for the email: set notices.from or default_owner in lifecycle.yml")
        }
        let token = SecretToken.random()
        let expiresAt = now.addingTimeInterval(RepPagesSettings.linkLifetime)
        let fields = [
            "name": person.name, "link": publicURL.signInLink(token.text),
            "minutes": String(Int(RepPagesSettings.linkLifetime / 60)),
            "expires": EngagementSummary.local(expiresAt, in: lifecycle.businessHours.timeZone),
        ]
        let request = NoticeRenderer.Request(
            template: template, fields: fields, from: from, to: person, key: "signin|\(token.hash)", date: now,
            domain: MessageRequest.domain(of: from))
        let message: RenderedEmail
        do {
            message = try NoticeRenderer.render(request)
        } catch {
            throw OperationError("cannot write the sign-in email: \(error)")
        }
        // Stored only once the email is ready: a link nobody could be sent is never usable.
        try store.addSignInLink(hash: token.hash, email: person.email, expiresAt: expiresAt, now: now)
        return SignInInvitation(email: person.email, expiresAt: expiresAt, message: message)
    }

    static let template = EmailTemplate(name: "signin", subject: "Your sign-in link for Nurture", body: """
        Hello {{name}},

        Here is your link to sign in to Nurture, where you answer your hand-offs, ask for nurtures \
        and see your service levels:

        {{link}}

        It works once, for {{minutes}} minutes (until {{expires}}). If you did not ask for it, \
        you can ignore this email.

        """)
}
