import Foundation
import NurtureMail

/// The report as one self-contained page, the one the heads of marketing and sales look at together.
extension LoopReport {
    public var html: String {
        func e(_ text: String) -> String { HTMLDocument.escape(text) }
        func cell(_ text: String, bad: Bool = false, good: Bool = false) -> String {
            "<td\(bad ? " class=\"bad\"" : good ? " class=\"good\"" : "")>\(e(text))</td>"
        }
        let behind = (sharedNumber.goal?.share ?? 1) < 1
        let goalCard = sharedNumber.goal.map { goal in
            "<div class=\"card\"><b\(behind ? " class=\"bad\"" : "")>\(e(SLALedger.percent(goal.share)))</b>of the \(e(goal.metric)) goal: "
                + "\(e(goalText))</div>"
        } ?? "<div class=\"card\"><b>-</b>no goal set in lifecycle.yml</div>"
        let marketing = serviceLevels.marketing
        let repRows = serviceLevels.reps.map { rep in
            "<tr>" + cell(rep.rep) + cell("\(rep.handOffs)") + cell(SLALedger.percent(rep.acceptanceRate))
                + cell(SLALedger.percent(rep.answeredInTimeShare), bad: (rep.answeredInTimeShare ?? 1) < 1)
                + cell(SLALedger.percent(rep.touchedInTimeShare), bad: (rep.touchedInTimeShare ?? 1) < 1) + "</tr>"
        }
        var sections: [String] = []
        for dimension in ["sequence", "email", "content"] {
            let rows = groups.filter { $0.dimension == dimension }.map { group in
                "<tr\(group.small ? " class=\"small\"" : "")>" + cell(group.rank.map { "\($0)" } ?? "small")
                    + cell(group.name) + cell("\(group.met)") + cell("\(group.handedOff)") + cell("\(group.accepted)")
                    + cell("\(group.qualified)") + cell("\(group.won)") + cell(Self.rate(group.handedOffRate))
                    + cell(Self.rate(group.acceptedRate)) + cell(Self.rate(group.wonRate))
                    + cell(Self.lift(group.wonLift), bad: (group.wonLift ?? 1) < 1, good: (group.wonLift ?? 1) > 1)
                    + cell(Self.lift(group.acceptedLift), bad: (group.acceptedLift ?? 1) < 1, good: (group.acceptedLift ?? 1) > 1)
                    + cell(Self.money(group.revenue)) + "</tr>"
            }
            sections.append("""
                <h3>\(Self.dimensionTitles[dimension]!)</h3>
                <table><thead><tr><th>Rank</th><th>Name</th><th>Leads</th><th>Handed off</th><th>Accepted</th><th>Qualified</th><th>Won</th><th>Hand-off rate</th><th>Accept rate</th><th>Won rate</th><th>Won lift</th><th>Accept lift</th><th>Revenue (\(attribution.rawValue))</th></tr></thead>
                <tbody>\(rows.isEmpty ? "<tr><td colspan=\"13\">No human engagement in the period.</td></tr>" : rows.joined(separator: "\n"))</tbody></table>
                """)
        }
        func reasonRows(_ table: [Reasons]) -> String {
            func list(_ counts: [Reasons.Count]) -> String { counts.isEmpty ? "-" : counts.map { "\($0.reason) \($0.count)" }.joined(separator: ", ") }
            let rows = table.map { "<tr>" + cell($0.key) + cell("\($0.handedOff)") + cell(list($0.rejected)) + cell(list($0.disqualified)) + "</tr>" }
            return rows.isEmpty ? "<tr><td colspan=\"4\">None in the period.</td></tr>" : rows.joined(separator: "\n")
        }
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Closed loop \(SLALedger.day(since)) to \(SLALedger.day(until))</title>
            <meta name="generator" content="Nurture">
            <style>
            body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:80rem;color:#1d2330;padding:0 1rem}
            h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}h3{font-size:1rem}table{border-collapse:collapse;width:100%;font-size:.9rem}
            th,td{padding:.35rem .5rem;border-bottom:1px solid #dde2ea;text-align:right}th:nth-child(-n+2),td:nth-child(-n+2){text-align:left}
            th{background:#f3f5f9}.bad{color:#b3261e;font-weight:600}.good{color:#1b6e3a;font-weight:600}tr.small td{color:#6b7280}
            table.list th,table.list td{text-align:left}.cards{display:flex;gap:1rem;flex-wrap:wrap}
            .card{border:1px solid #dde2ea;border-radius:.5rem;padding:.75rem 1rem;min-width:10rem;max-width:24rem}.card b{display:block;font-size:1.6rem}
            </style></head><body>
            <h1>Closed loop, \(SLALedger.day(since)) to \(SLALedger.day(until))</h1>
            <p>One number for both teams, the promises each kept, and what preceded the deals sales accepted and won.</p>
            <h2>The shared number</h2>
            <div class="cards">
            \(goalCard)
            <div class="card"><b>\(e(Self.money(sharedNumber.pipeline)))</b>pipeline from \(sharedNumber.qualified) qualified</div>
            <div class="card"><b>\(e(Self.money(sharedNumber.revenue)))</b>revenue from \(sharedNumber.won) won\(sharedNumber.wonWithoutValue > 0 ? " (\(sharedNumber.wonWithoutValue) without a value)" : "")</div>
            <div class="card"><b>\(sharedNumber.accepted)</b>of \(sharedNumber.handedOff) hand-offs accepted</div>
            </div>
            <h2>Service levels</h2>
            <p>Marketing delivered \(marketing.delivered) hand-offs\(marketing.goal.map { " against \($0) promised" } ?? ""); sales accepted \(SLALedger.percent(marketing.acceptedShare)) of those answered; \(SLALedger.percent(marketing.gradeABShare)) were grade A or B.</p>
            <table><thead><tr><th>Rep</th><th>Hand-offs</th><th>Accept rate</th><th>Answered in time</th><th>Touched in time</th></tr></thead>
            <tbody>\(repRows.isEmpty ? "<tr><td colspan=\"5\">No hand-offs in the period.</td></tr>" : repRows.joined(separator: "\n"))</tbody></table>
            <h2>What worked</h2>
            <p>\(nurtured) leads engaged in the period. Only human engagement counts: opens and clicks a machine made never do. Revenue is credited by \(e(attribution.rawValue)) touch. Rates carry 95% Wilson intervals; a lift compares with the nurtured leads that did not meet the group. Groups under \(minimumGroup) leads are flagged as small, not ranked.</p>
            \(sections.joined(separator: "\n"))
            <h2>Why leads were turned down</h2>
            <h3>By sequence</h3>
            <table class="list"><thead><tr><th>Sequence</th><th>Handed off</th><th>Rejected</th><th>Disqualified</th></tr></thead>
            <tbody>\(reasonRows(rejectionsBySequence))</tbody></table>
            <h3>By fit grade</h3>
            <table class="list"><thead><tr><th>Grade</th><th>Handed off</th><th>Rejected</th><th>Disqualified</th></tr></thead>
            <tbody>\(reasonRows(rejectionsByGrade))</tbody></table>
            </body></html>

            """
    }
}
