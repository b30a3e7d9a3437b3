import NurtureMail
import ArgumentParser
import Foundation
import NurtureOperations
import NurtureServer
import NurtureSMTP

/// `nurture reps invite EMAIL`: a one-time sign-in link to the web pages, sent to that person's
/// own address through the relay.
struct Reps: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sign-in links to the web pages for reps and marketing operators.",
        subcommands: [Invite.self])

    struct Invite: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Email a rep or an operator a sign-in link to the web pages.",
            discussion: """
                The address must be listed in lifecycle.yml, under reps: (or as default_owner) or operators:. \
                The link works once, for 30 minutes; it is sent from notices.from and never printed.
                """)

        @Argument(help: "The rep's or operator's email address, as lifecycle.yml lists it.") var email: String
        @Option(help: ArgumentHelp("The service's address as reached from outside (or NURTURE_PUBLIC_URL).", valueName: "url"))
        var publicURL: String = ProcessInfo.processInfo.environment["NURTURE_PUBLIC_URL"] ?? ""
        @OptionGroup var loop: LoopOptions
        @OptionGroup var relay: RelayOptions

        func run() async throws {
            guard !publicURL.isEmpty else { throw ValidationError("--public-url is required: the address the sign-in link points at") }
            let base: PublicURL
            do {
                base = try PublicURL(publicURL)
            } catch {
                throw ValidationError(error.description)
            }
            let configuration = try relay.configuration()
            let (store, definitions) = try loop.open()
            let invitation = try refusing {
                try SignInInvitation.make(for: email, definitions: definitions, store: store, publicURL: base, now: Date())
            }
            let message = invitation.message
            let result = try await SMTPSender(relay: configuration).send(
                OutgoingMessage(from: message.envelopeFrom, recipients: [message.recipient], bytes: message.bytes))
            guard result.outcome == .delivered else {
                Terminal.error("the sign-in email to \(invitation.email) was not sent: \(result)")
                throw ExitCode(result.outcome == .transient ? 75 : 1)
            }
            print("sign-in link sent to \(invitation.email); it works once, until \(ISO8601DateFormatter().string(from: invitation.expiresAt))")
        }
    }
}
