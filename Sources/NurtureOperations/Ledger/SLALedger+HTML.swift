import Foundation
import NurtureMail

/// The ledger as one self-contained page for both teams' weekly meeting.
extension SLALedger {
    public var html: String {
        func e(_ text: String) -> String { HTMLDocument.escape(text) }
        func cell(_ text: String, bad: Bool = false) -> String { "<td\(bad ? " class=\"bad\"" : "")>\(e(text))</td>" }
        let goalMet = marketing.goal.map { marketing.delivered >= $0 }
        var rows: [String] = []
        for rep in reps {
            rows.append("<tr>" + cell(rep.rep) + cell("\(rep.handOffs)") + cell("\(rep.accepted)") + cell("\(rep.rejected)")
                + cell("\(rep.expired)", bad: rep.expired > 0) + cell("\(rep.open)") + cell(Self.percent(rep.acceptanceRate))
                + cell("\(Self.hours(rep.hoursToAnswerMedian)) / \(Self.hours(rep.hoursToAnswerP90))")
                + cell("\(Self.hours(rep.hoursToTouchMedian)) / \(Self.hours(rep.hoursToTouchP90))")
                + cell(Self.percent(rep.answeredInTimeShare), bad: (rep.answeredInTimeShare ?? 1) < 1)
                + cell(Self.percent(rep.touchedInTimeShare), bad: (rep.touchedInTimeShare ?? 1) < 1) + "</tr>")
        }
        let breachRows = breaches.map { breach in
            "<tr>" + cell("#\(breach.handOff)") + cell(breach.lead) + cell(breach.rep) + cell(breach.promise)
                + cell(Self.instant(breach.due)) + cell(breach.keptAt.map { "late, at \(Self.instant($0))" } ?? "not kept", bad: true) + "</tr>"
        }
        let requestRows = requests.map { request in
            "<tr>" + cell(request.rep) + cell("\(request.requested)") + cell("\(request.open)") + cell("\(request.used)")
                + cell("\(request.late)", bad: request.late > 0) + cell("\(request.unused)", bad: request.unused > 0)
                + cell("\(request.abandoned)") + "</tr>"
        }
        let goal = marketing.goal.map { "\($0)" } ?? "no goal set"
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Service levels \(Self.day(since)) to \(Self.day(until))</title>
            <meta name="generator" content="Nurture">
            <style>
            body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:70rem;color:#1d2330;padding:0 1rem}
            h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}table{border-collapse:collapse;width:100%;font-size:.9rem}
            th,td{padding:.35rem .5rem;border-bottom:1px solid #dde2ea;text-align:right}th:first-child,td:first-child{text-align:left}
            th{background:#f3f5f9}.bad{color:#b3261e;font-weight:600}.cards{display:flex;gap:1rem;flex-wrap:wrap}
            table.list th,table.list td{text-align:left}.card{border:1px solid #dde2ea;border-radius:.5rem;padding:.75rem 1rem;min-width:10rem}.card b{display:block;font-size:1.6rem}
            </style></head><body>
            <h1>Service levels, \(Self.day(since)) to \(Self.day(until))</h1>
            <p>Both teams' promises for the period, from the hand-off ledger (lifecycle version \(definitionsVersion)).</p>
            <h2>Marketing's side</h2>
            <div class="cards">
            <div class="card"><b\(goalMet == false ? " class=\"bad\"" : "")>\(marketing.delivered)</b>hand-offs delivered (goal: \(e(goal)))</div>
            <div class="card"><b>\(Self.percent(marketing.acceptedShare))</b>accepted of those answered</div>
            <div class="card"><b>\(Self.percent(marketing.gradeABShare))</b>grade A or B</div>
            </div>
            <h2>Sales' side</h2>
            <table><thead><tr><th>Rep</th><th>Hand-offs</th><th>Accepted</th><th>Rejected</th><th>Expired</th><th>Open</th><th>Accept rate</th><th>Answer p50 / p90</th><th>First touch p50 / p90</th><th>Answered in time</th><th>Touched in time</th></tr></thead>
            <tbody>\(rows.isEmpty ? "<tr><td colspan=\"11\">No hand-offs in the period.</td></tr>" : rows.joined(separator: "\n"))</tbody></table>
            <h2>Broken promises</h2>
            <table class="list"><thead><tr><th>Hand-off</th><th>Lead</th><th>Rep</th><th>Promise</th><th>Due</th><th>Kept</th></tr></thead>
            <tbody>\(breachRows.isEmpty ? "<tr><td colspan=\"6\">None: every promise was kept.</td></tr>" : breachRows.joined(separator: "\n"))</tbody></table>
            <h2>Rep requests</h2>
            <table><thead><tr><th>Rep</th><th>Requested</th><th>Open</th><th>Used</th><th>Late</th><th>Unused</th><th>Abandoned</th></tr></thead>
            <tbody>\(requestRows.isEmpty ? "<tr><td colspan=\"7\">No requests in the period.</td></tr>" : requestRows.joined(separator: "\n"))</tbody></table>
            </body></html>

            """
    }
}
