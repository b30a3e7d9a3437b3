import ArgumentParser
import Foundation

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the MIME message a step would send to a lead, without sending it."
    )

    @OptionGroup var message: MessageOptions

    func run() throws {
        let rendered = try message.render(key: { lead, sequence in "render|\(lead.id)|\(sequence.id)|\(message.step)" }, preview: true)
        FileHandle.standardOutput.write(Data(rendered.bytes))
    }
}
