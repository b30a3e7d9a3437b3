import ArgumentParser
import Foundation
import NurtureMail
import NurtureSMTP
import NurtureTokens

/// `--relay`, `--credentials`, `--allow-plaintext`: how `send-test`, `run`, `tick` and
/// `serve --with-scheduler` reach the relay.
struct RelayOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The relay: smtp://host:587 (STARTTLS required off loopback) or smtps://host:465 (or NURTURE_RELAY). Required to send.",
        valueName: "url"))
    var relay: String?

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
        guard let relay = relay ?? ProcessInfo.processInfo.environment["NURTURE_RELAY"] else { throw ValidationError("--relay (or NURTURE_RELAY) is required to send: smtp://host:587 or smtps://host:465") }
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

/// `--public-url`, `--unsubscribe-url`, `--unsubscribe-mailbox`: where every message's
/// List-Unsubscribe and, for tracked sequences, its click links and open pixel point.
struct UnsubscribeOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The web service's public address, https://HOST[/PATH] (or NURTURE_PUBLIC_URL): tracked links and open pixels point there, and the unsubscribe endpoint defaults to its /unsubscribe.",
        valueName: "url"))
    var publicURL: String?

    @Option(help: ArgumentHelp("One-click unsubscribe endpoint (or NURTURE_UNSUBSCRIBE_URL); defaults to the public URL's /unsubscribe.", valueName: "url"))
    var unsubscribeURL: String?

    @Option(help: ArgumentHelp(
        "Unsubscribe mailbox for the mailto link (or NURTURE_UNSUBSCRIBE_MAILBOX).",
        valueName: "address"))
    var unsubscribeMailbox: String = ProcessInfo.processInfo.environment["NURTURE_UNSUBSCRIBE_MAILBOX"]
        ?? "unsubscribe@example.com"

    @Option(help: ArgumentHelp(
        "The keyring that signs unsubscribe links (or NURTURE_KEYS); 'nurture keys create' makes it.", valueName: "file"))
    var keys: String = ProcessInfo.processInfo.environment["NURTURE_KEYS"] ?? "nurture.keys"

    /// The addresses and mailbox are checked before anything runs; the keyring is read when links
    /// are made. The links in emails also need an https public URL: the commands that render them
    /// find out when they make them, while `serve` may answer on a plain http address for a trial.
    func validate() throws {
        var address: PublicURL?
        if let publicURL = publicURL ?? ProcessInfo.processInfo.environment["NURTURE_PUBLIC_URL"] {
            do {
                address = try PublicURL(publicURL)
            } catch {
                throw ValidationError(error.description)
            }
        }
        if address?.isHTTPS ?? true { _ = try links(keyring: .rotated(nil, now: Date())) }
    }

    /// The links, checked, signed with the keyring: they go into every message's headers. Without
    /// `requireKeyring` (a preview), a missing keyring is replaced by a throwaway key, and said so.
    func links(requireKeyring: Bool = true) throws -> UnsubscribeLinks {
        let keyring: Keyring
        do {
            keyring = try Keyring.load(path: keys)
        } catch {
            guard !requireKeyring, !FileManager.default.fileExists(atPath: keys) else { throw ValidationError(error.description) }
            Terminal.error("note: no keyring at \(keys): the unsubscribe link is signed with a throwaway key and will not work")
            keyring = .rotated(nil, now: Date())
        }
        return try links(keyring: keyring)
    }

    func links(keyring: Keyring) throws -> UnsubscribeLinks {
        do {
            let endpoint = try unsubscribeURL ?? ProcessInfo.processInfo.environment["NURTURE_UNSUBSCRIBE_URL"]
                ?? tracking(keyring: keyring)?.unsubscribeURL ?? "https://nurture.example.com/unsubscribe"
            return try UnsubscribeLinks(baseURL: endpoint, mailbox: unsubscribeMailbox, keyring: keyring)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    /// Where tracked links point, when a public URL is given.
    func tracking(keyring: Keyring) throws(TrackingLinks.Problem) -> TrackingLinks? {
        try (publicURL ?? ProcessInfo.processInfo.environment["NURTURE_PUBLIC_URL"]).map { url throws(TrackingLinks.Problem) in
            try TrackingLinks(publicURL: url, keyring: keyring)
        }
    }
}
