import Foundation

/// The ledger as text for a terminal, and the number formats its pages share.
extension SLALedger {
    static func percent(_ share: Double?) -> String { share.map { String(format: "%.0f%%", $0 * 100) } ?? "-" }
    static func hours(_ value: Double?) -> String { value.map { String(format: "%.1f h", $0) } ?? "-" }
    static func day(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: date)
    }
    static func instant(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }

    public var text: String {
        var lines: [String] = []
        lines.append("Service levels from \(Self.day(since)) to \(Self.day(until)) (lifecycle version \(definitionsVersion))")
        lines.append("")
        lines.append("Marketing's side")
        let goal = marketing.goal.map { " against a goal of \($0)" } ?? ""
        lines.append("  hand-offs delivered  \(marketing.delivered)\(goal)")
        lines.append("  accepted             \(marketing.accepted) of \(marketing.accepted + marketing.rejected) answered (\(Self.percent(marketing.acceptedShare)))")
        lines.append("  grade A or B         \(Self.percent(marketing.gradeABShare))")
        lines.append("")
        lines.append("Sales' side")
        lines.append("  rep                                hand-offs accepted rejected expired open  accept  answer p50/p90   touch p50/p90    answered in time  touched in time")
        for rep in reps {
            lines.append("  " + [
                rep.rep.padding(toLength: 34, withPad: " ", startingAt: 0), String(format: "%9d", rep.handOffs),
                String(format: "%8d", rep.accepted), String(format: "%8d", rep.rejected), String(format: "%7d", rep.expired),
                String(format: "%4d", rep.open), Self.percent(rep.acceptanceRate).leftPadded(6),
                "\(Self.hours(rep.hoursToAnswerMedian))/\(Self.hours(rep.hoursToAnswerP90))".leftPadded(16),
                "\(Self.hours(rep.hoursToTouchMedian))/\(Self.hours(rep.hoursToTouchP90))".leftPadded(16),
                Self.percent(rep.answeredInTimeShare).leftPadded(17), Self.percent(rep.touchedInTimeShare).leftPadded(16),
            ].joined(separator: " "))
        }
        if reps.isEmpty { lines.append("  (no hand-offs in the period)") }
        lines.append("")
        lines.append("Broken promises")
        for breach in breaches {
            let kept = breach.keptAt.map { "kept late at \(Self.instant($0))" } ?? "not kept"
            lines.append("  hand-off \(breach.handOff) (\(breach.lead), \(breach.rep)): \(breach.promise) due \(Self.instant(breach.due)), \(kept)")
        }
        if breaches.isEmpty { lines.append("  none") }
        lines.append("")
        lines.append("Rep requests")
        lines.append("  rep                                requested open used late unused abandoned")
        for request in requests {
            lines.append("  " + [
                request.rep.padding(toLength: 34, withPad: " ", startingAt: 0), String(format: "%9d", request.requested),
                String(format: "%4d", request.open), String(format: "%4d", request.used), String(format: "%4d", request.late),
                String(format: "%6d", request.unused), String(format: "%9d", request.abandoned),
            ].joined(separator: " "))
        }
        if requests.isEmpty { lines.append("  (no requests in the period)") }
        return lines.joined(separator: "\n")
    }

    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(self)
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
