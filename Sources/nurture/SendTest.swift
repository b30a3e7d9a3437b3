import ArgumentParser
import Foundation
import NurtureSMTP

struct SendTest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send-test",
        abstract: "Render one step and deliver it through a relay to a test address, printing the relay's reply.",
        discussion: """
            Credentials come from NURTURE_SMTP_USERNAME and NURTURE_SMTP_PASSWORD, or from --credentials FILE \
            (username on line 1, password on line 2); never from definitions, and they are never printed.
            """
    )

    @Option(help: "The relay: smtp://host:587 (STARTTLS required) or smtps://host:465.")
    var relay: String

    @Option(help: "Where to send the test.")
    var to: String

    @Option(help: "A file with the relay username and password.")
    var credentials: String?

    @Flag(help: "Allow a relay without TLS that is not on loopback.")
    var allowPlaintext = false

    @OptionGroup var message: MessageOptions

    func run() async throws {
        let rendered = try message.render(
            key: { lead, sequence in "test|\(lead.id)|\(sequence.id)|\(message.step)|\(Date().timeIntervalSince1970)" },
            recipient: to)
        let configuration: RelayConfiguration
        do {
            let login = try RelayConfiguration.credentials(environment: ProcessInfo.processInfo.environment, file: credentials)
            configuration = try RelayConfiguration(url: relay, credentials: login, allowPlaintext: allowPlaintext)
        } catch {
            throw ValidationError(error.description)
        }
        let sender = try SMTPSender(relay: configuration)
        let result = await sender.send(OutgoingMessage(from: rendered.envelopeFrom, recipients: [rendered.recipient], bytes: rendered.bytes))
        print("\(rendered.messageID) to \(rendered.recipient): \(result)")
        if result.outcome != .delivered { throw ExitCode(result.outcome == .transient ? 75 : 1) }
    }
}
