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

    @OptionGroup var relay: RelayOptions

    @Option(help: ArgumentHelp("Where to send the test.", valueName: "address"))
    var to: String

    @OptionGroup var message: MessageOptions

    func run() async throws {
        let rendered = try message.render(
            key: { lead, sequence in "test|\(lead.id)|\(sequence.id)|\(message.step)|\(Date().timeIntervalSince1970)" },
            recipient: to)
        let sender = try SMTPSender(relay: try relay.configuration())
        let result = await sender.send(OutgoingMessage(from: rendered.envelopeFrom, recipients: [rendered.recipient], bytes: rendered.bytes))
        print("\(rendered.messageID) to \(rendered.recipient): \(result)")
        if result.outcome != .delivered { throw ExitCode(result.outcome == .transient ? 75 : 1) }
    }
}
