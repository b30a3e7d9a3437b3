import Foundation
import NurtureBasics

/// Sends, hand-offs and how enrollments ended, by sequence, once the lifecycle has moved prospects
/// from the simulated sequence into others (re-engagement after a rejection, a rep's follow-up).
public struct SequenceBreakdown: Codable, Sendable {
    public var sequence: String
    /// Whether this is the sequence the run enrolled prospects in.
    public var simulated: Bool
    public var enrolled: Int
    public var sent: Int
    public var handOffs: Int
    public var completed: Int
    public var stillActive: Int
    /// Ended any other way: an exit, a hand-off, a stage change, a stall.
    public var exited: Int

    /// One row per sequence with enrollments, the simulated one first; nil when no prospect left
    /// the simulated sequence for another, so that such a run's report is as it always was.
    static func rows(stats: SimulationStats, setup: SimulationSetup) -> [SequenceBreakdown]? {
        let others = setup.definitions.sequences.keys.filter { $0 != setup.sequence }.sorted()
        guard stats.sequences.dropFirst().contains(where: { $0.enrolled > 0 || $0.sent > 0 }) else { return nil }
        func ending(_ ending: SimulationStats.Ending) -> Int { stats.endings[ending.rawValue] }
        let completed = ending(.completed), active = ending(.stillActive)
        let simulated = SequenceBreakdown(
            sequence: setup.sequence, simulated: true, enrolled: stats[.enrolled],
            sent: stats.emails - stats.sequences.dropFirst().reduce(0) { $0 + $1.sent },
            handOffs: stats.sequences[0].handOffs, completed: completed, stillActive: active,
            exited: stats.endings.reduce(0, +) - completed - active - ending(.refused))
        return [simulated] + zip(others, stats.sequences.dropFirst()).compactMap { name, counts in
            guard counts.enrolled > 0 || counts.sent > 0 else { return nil }
            return SequenceBreakdown(
                sequence: name, simulated: false, enrolled: counts.enrolled, sent: counts.sent, handOffs: counts.handOffs,
                completed: counts.completed, stillActive: counts.stillActive, exited: counts.exited)
        }
    }

    /// The breakdown for a terminal.
    static func textLines(_ rows: [SequenceBreakdown]) -> [String] {
        var out = ["By sequence (the lifecycle moved prospects into others):"]
        out.append("  " + Figures.pad("sequence", 26) + Figures.pad("enrolled", 10, right: true) + Figures.pad("sent", 10, right: true)
                   + Figures.pad("hand-offs", 11, right: true) + Figures.pad("completed", 11, right: true)
                   + Figures.pad("exited", 9, right: true) + Figures.pad("running", 9, right: true))
        for row in rows {
            out.append("  " + Figures.pad(row.sequence + (row.simulated ? " *" : ""), 26) + Figures.pad(Figures.count(row.enrolled), 10, right: true)
                       + Figures.pad(Figures.count(row.sent), 10, right: true) + Figures.pad(Figures.count(row.handOffs), 11, right: true)
                       + Figures.pad(Figures.count(row.completed), 11, right: true) + Figures.pad(Figures.count(row.exited), 9, right: true)
                       + Figures.pad(Figures.count(row.stillActive), 9, right: true))
        }
        return out
    }

    /// The breakdown as a section of the HTML page.
    static func htmlSection(_ rows: [SequenceBreakdown]) -> [String] {
        func esc(_ text: String) -> String { HTMLEscaping.pageText(text) }
        var out = ["<section id=\"sequences\">", "<h2>By sequence</h2>",
                   "<p class=\"note\">The lifecycle moved prospects from the simulated sequence (marked) into others; frequency caps are shared across them, as the engine shares them.</p>",
                   "<div class=\"table-wrap\">", "<table>"]
        out.append("<thead><tr><th scope=\"col\">Sequence</th>" + ["Enrolled", "Sent", "Hand-offs", "Completed", "Exited", "Running"]
            .map { "<th scope=\"col\" class=\"num\">\($0)</th>" }.joined() + "</tr></thead>")
        out.append("<tbody>")
        for row in rows {
            out.append("<tr><th scope=\"row\"><code>\(esc(row.sequence))</code>\(row.simulated ? " <span class=\"badge\">simulated</span>" : "")</th>"
                       + [row.enrolled, row.sent, row.handOffs, row.completed, row.exited, row.stillActive]
                .map { "<td class=\"num\">\(esc(Figures.count($0)))</td>" }.joined() + "</tr>")
        }
        out += ["</tbody>", "</table>", "</div>", "</section>"]
        return out
    }
}
