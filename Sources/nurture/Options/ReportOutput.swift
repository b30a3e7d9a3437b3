import ArgumentParser
import Foundation
import NurtureDefinitions
import NurtureSimulator

/// `--format` and `--out`, for the commands that write a report: simulate, compare and backtest.
struct ReportOutput: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, html
    }

    @Option(help: "text, json, or html (one page to forward).")
    var format: Format = .text

    @Option(help: ArgumentHelp("Write the report to this file instead of standard output.", valueName: "file"))
    var out: String?

    /// Checked before anything runs: a long dry-run must not end with nowhere to write its report.
    func validate() throws {
        guard let out else { return }
        let folder = (out as NSString).deletingLastPathComponent
        guard folder.isEmpty || FileManager.default.isFolder(atPath: folder) else {
            throw ValidationError("cannot write \(out): there is no folder \(folder)")
        }
    }

    /// Writes `report` in the chosen format: its JSON (see ``ReportJSON``), or the text or page given.
    func write(_ report: some Encodable, text: @autoclosure () -> String, html: @autoclosure () -> String) throws {
        let rendered = switch format {
        case .text: text()
        case .json: try ReportJSON.encode(report)
        case .html: html()
        }
        guard let out else { return print(rendered, terminator: "") }
        try Terminal.writeFile(Array(rendered.utf8), to: out)
        Terminal.error("wrote \(out)")
    }
}
