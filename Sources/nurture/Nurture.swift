import ArgumentParser

@main
struct Nurture: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nurture",
        abstract: "Nurture sequences that marketing and sales agree on: check them, dry-run them, and send them.",
        subcommands: [Validate.self, Explain.self, Trace.self, Simulate.self, Compare.self, BacktestCommand.self, Render.self, SendTest.self, Leads.self, Events.self, Enroll.self, Run.self, Tick.self, Status.self]
    )
}
