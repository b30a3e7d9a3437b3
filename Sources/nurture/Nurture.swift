import ArgumentParser
import NurtureCore

@main
struct Nurture: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nurture",
        abstract: "Nurture sequences that marketing and sales agree on: check them, dry-run them, and send them.",
        subcommands: [Validate.self, Explain.self, Trace.self, Simulate.self, Compare.self, BacktestCommand.self, Calibrate.self, ForecastCommand.self, Render.self, SendTest.self, Leads.self, Events.self, Enroll.self, Run.self, Tick.self, Status.self, HandOffs.self, Request.self, SLA.self, Report.self, Export.self, StoreCommand.self, Keys.self, Serve.self, Tokens.self, Reps.self]
    )

    /// Parses and runs the command given. A mistake found while running (an unknown sequence, a
    /// file with no usable row) is reported by its message alone: reported by the root, it came
    /// with "Usage: nurture <subcommand>", as if no command had been given.
    static func main() async {
        let command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exitQuoting(error)
        }
        do {
            var command = command
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            if let problem = Terminal.standardOutputProblem() {
                Terminal.error("Error: \(problem)")
                exit(withError: ExitCode(74))
            }
        } catch let error as ValidationError {
            Terminal.error("Error: \(error.message)")
            exit(withError: ExitCode.validationFailure)
        } catch {
            exitQuoting(error)
        }
    }

    /// Exits for an error, its message printed with control characters from the command line
    /// escaped line by line (the usage text keeps its lines). Help and version go out as they are.
    static func exitQuoting(_ error: any Error) -> Never {
        let code = exitCode(for: error)
        let message = fullMessage(for: error)
        guard code != .success, !message.isEmpty else { exit(withError: error) }
        Terminal.error(lines: message)
        exit(withError: code)
    }
}
