import ArgumentParser

@main
struct Nurture: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nurture",
        abstract: "Nurture sequences that marketing and sales agree on: validate, explain and trace them.",
        subcommands: [Validate.self, Explain.self, Trace.self, Simulate.self, Compare.self, BacktestCommand.self, Render.self, SendTest.self]
    )
}
