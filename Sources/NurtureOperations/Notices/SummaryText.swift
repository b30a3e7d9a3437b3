import Foundation
import NurtureCore

/// An engagement summary in words, the same in a rep's email, on the command line and on a page.
public enum SummaryText {
    /// One value per part of the summary (`reasons`, `moments`, `emails`...), never empty.
    public static func fields(_ summary: EngagementSummary?) -> [String: String] {
        guard let summary else {
            return ["reasons": "  (no summary recorded)", "moments": "  (none)", "emails": "none recorded", "pages": "none",
                    "content": "none", "sequences": "none", "requested": "Scored hand-off", "score": "-", "grade": "-", "stage": "-"]
        }
        func list(_ values: [String]) -> String { values.isEmpty ? "none" : values.joined(separator: ", ") }
        let reasons = summary.reasons.map { reason in
            "  - \(reason.text): \(reason.points >= 0 ? "+" : "")\(Int(reason.points.rounded()))"
        }
        let moments = summary.lastMoments.map { moment in
            "  - \(moment.local): \(moment.type)\(moment.what.map { " (\($0))" } ?? "")"
        }
        let requested = summary.requestedBy.map { rep in
            "Requested by \(rep)" + (summary.requestNote.map { ": \"\($0)\"" } ?? "")
        } ?? "Scored hand-off, not a rep request"
        return [
            "score": String(Int(summary.score.rounded())), "grade": summary.grade, "stage": summary.stage,
            "reasons": reasons.isEmpty ? "  (no points yet)" : reasons.joined(separator: "\n"),
            "moments": moments.isEmpty ? "  (no human activity recorded)" : moments.joined(separator: "\n"),
            "emails": "\(summary.emailsSent) sent, \(summary.emailsOpened) opened, \(summary.emailsClicked) clicked",
            "pages": list(summary.pagesSeen), "content": list(summary.contentCategories), "sequences": list(summary.sequences),
            "requested": requested,
        ]
    }

    /// The summary as lines for a terminal.
    public static func lines(_ summary: EngagementSummary?) -> [String] {
        let fields = fields(summary)
        return [
            "Score \(fields["score"]!) (grade \(fields["grade"]!)), stage \(fields["stage"]!)",
            "Why:", fields["reasons"]!,
            "Last moments:", fields["moments"]!,
            "Emails: \(fields["emails"]!)",
            "Pages: \(fields["pages"]!); content: \(fields["content"]!)",
            "Sequences: \(fields["sequences"]!)",
            fields["requested"]!,
        ]
    }
}
