import ArgumentParser
import Foundation
import NurtureMail
import NurtureSMTP

/// `--relay`, `--credentials`, `--allow-plaintext`: how `send-test`, `run` and `tick` reach the relay.
struct RelayOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The relay: smtp://host:587 (STARTTLS required off loopback) or smtps://host:465.",
        valueName: "url"))
    var relay: String

    @Option(help: ArgumentHelp(
        "A file with the relay username (line 1) and password (line 2); or NURTURE_SMTP_USERNAME/PASSWORD.",
        valueName: "file"))
    var credentials: String?

    @Flag(help: "Allow a relay without TLS that is not on loopback.")
    var allowPlaintext = false

    @Flag(help: "Also send the password to such a relay, in clear (a warning is logged each time).")
    var allowPlaintextAuth = false

    /// The relay configuration, with credentials from the file or the environment.
    func configuration(connections: Int = 1, rateLimit: RateLimit = .unlimited) throws -> RelayConfiguration {
        do {
            let login = try RelayConfiguration.credentials(environment: ProcessInfo.processInfo.environment, file: credentials)
            let configuration = try RelayConfiguration(
                url: relay, credentials: login, allowPlaintext: allowPlaintext, allowPlaintextAuth: allowPlaintextAuth,
                connections: connections, rateLimit: rateLimit)
            if configuration.sendsPasswordInClear {
                Terminal.error("warning: the password for \(configuration.host) is sent without TLS (--allow-plaintext-auth)")
            }
            return configuration
        } catch {
            throw ValidationError(error.description)
        }
    }
}

/// `--unsubscribe-url`, `--unsubscribe-mailbox`: where every message's List-Unsubscribe points.
struct UnsubscribeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("One-click unsubscribe endpoint (or NURTURE_UNSUBSCRIBE_URL).", valueName: "url"))
    var unsubscribeURL: String = ProcessInfo.processInfo.environment["NURTURE_UNSUBSCRIBE_URL"]
        ?? "https://nurture.example.com/unsubscribe"

    @Option(help: ArgumentHelp(
        "Unsubscribe mailbox for the mailto link (or NURTURE_UNSUBSCRIBE_MAILBOX).",
        valueName: "address"))
    var unsubscribeMailbox: String = ProcessInfo.processInfo.environment["NURTURE_UNSUBSCRIBE_MAILBOX"]
        ?? "unsubscribe@example.com"

    func validate() throws { _ = try links() }

    /// The links, checked: they go into every message's headers.
    func links() throws -> UnsubscribeLinks {
        do {
            return try UnsubscribeLinks(baseURL: unsubscribeURL, mailbox: unsubscribeMailbox)
        } catch {
            throw ValidationError(error.description)
        }
    }
}
