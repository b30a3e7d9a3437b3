import Foundation
import NurtureBasics

extension SLAForecast {
    /// The forecast as a section of the dry-run's HTML page.
    var htmlSection: [String] {
        func esc(_ text: String) -> String { HTMLEscaping.pageText(text) }
        func share(_ proportion: Proportion) -> String {
            proportion.total == 0 ? "\u{2013}" : "\(Figures.percent(proportion.rate)) <span class=\"muted\">(\(esc(proportion.intervalText)))</span>"
        }
        func hours(_ value: Double?) -> String { value.map { esc(Figures.duration($0)) } ?? "\u{2013}" }
        func row(_ cells: [String]) -> String {
            "<tr><th scope=\"row\">\(cells[0])</th>" + cells.dropFirst().map { "<td class=\"num\">\($0)</td>" }.joined() + "</tr>"
        }
        func head(_ names: [String]) -> String {
            "<thead><tr>" + names.enumerated().map { "<th scope=\"col\"\($0.offset == 0 ? "" : " class=\"num\"")>\(esc($0.element))</th>" }.joined() + "</tr></thead>"
        }
        var out: [String] = []
        out.append("<section id=\"sla\">")
        out.append("<h2>SLA forecast</h2>")
        let goal = marketing.goal.map { "against a goal of <strong>\(esc(Figures.count($0)))</strong> (\(esc(marketing.goalAgreed ?? "")))" }
            ?? "(lifecycle.yml sets no volume goal)"
        out.append("<p class=\"note\">From the <code>reps:</code> section of the persona file. Marketing delivered <strong>\(esc(Figures.count(marketing.delivered)))</strong> hand-offs \(goal); "
                   + "reps accepted \(share(marketing.acceptedShare)) of those they answered. Hand-offs nobody answered in time: \(esc(onExpiry)).</p>")
        out.append("<div class=\"table-wrap\">")
        out.append("<table class=\"narrow\">")
        out.append(head(["Promise", "Stage", "Within", "Kept"]))
        out.append("<tbody>")
        for promise in promises {
            out.append("<tr><th scope=\"row\">\(esc(promise.promise))</th><td><code>\(esc(promise.stage))</code></td><td>\(esc(promise.within))</td>"
                       + "<td class=\"num\">\(share(promise.kept))</td></tr>")
        }
        if promises.isEmpty { out.append("<tr><td colspan=\"4\">lifecycle.yml sets no service level for hand-offs.</td></tr>") }
        out.append("</tbody>")
        out.append("</table>")
        out.append("<table class=\"narrow\">")
        out.append(head(["Answers", "Count"]))
        out.append("<tbody>")
        for (name, count) in [("Accepted", reps.accepted), ("Rejected", reps.rejected), ("Expired", reps.expired),
                              ("Open at the end", reps.open), ("Requeued on expiry", reps.requeued)] {
            out.append(row([esc(name), esc(Figures.count(count))]))
        }
        out.append(row(["Time to answer: median", hours(reps.hoursToAnswerMedian)]))
        out.append(row(["Time to answer: 90% within", hours(reps.hoursToAnswerP90)]))
        out.append(row(["Time to first touch: median", hours(reps.hoursToTouchMedian)]))
        out.append(row(["Time to first touch: 90% within", hours(reps.hoursToTouchP90)]))
        out.append("</tbody>")
        out.append("</table>")
        out.append("<table class=\"narrow\">")
        out.append(head(["Grade", "Hand-offs", "Accepted", "Rejected", "Acceptance"]))
        out.append("<tbody>")
        for grade in byGrade {
            out.append(row([esc(grade.grade), esc(Figures.count(grade.handOffs)), esc(Figures.count(grade.accepted)),
                            esc(Figures.count(grade.rejected)), share(grade.acceptanceRate)]))
        }
        out.append("</tbody>")
        out.append("</table>")
        out.append("<table class=\"narrow\">")
        out.append(head(["Rejected for", "Rejections", "Share"]))
        out.append("<tbody>")
        for reason in rejectionReasons {
            out.append(row(["<code>\(esc(reason.reason))</code>", esc(Figures.count(reason.share.count)), share(reason.share)]))
        }
        out.append("</tbody>")
        out.append("</table>")
        out.append("</div>")
        out.append("<p class=\"note\">Recycled: <strong>\(esc(Figures.count(recycled.leads)))</strong> leads went back to marketing, \(esc(Figures.count(recycled.reenrolled))) of them into a sequence "
                   + "(\(esc(Figures.count(recycled.emails))) emails); \(esc(Figures.count(recycled.handedOffAgain.count))) were handed off again within the run.</p>")
        out.append("</section>")
        return out
    }
}
