import Foundation

/// Numbers as every report, summary line and progress bar writes them: counts with thousands
/// separators and their noun, rates as percents, hours as hours or days, columns padded.
///
/// Here, outside the simulator, so that a command that only counts (validate, leads import,
/// events ingest) does not import the simulator for it.
public enum Figures {
    /// 10000 as "10,000".
    public static func count(_ value: Int) -> String {
        let digits = String(value)
        var result = ""
        for (offset, char) in digits.reversed().enumerated() {
            if offset > 0, offset % 3 == 0 { result.append(",") }
            result.append(char)
        }
        return String(result.reversed())
    }

    /// "1 day", "60 days", "10,000 prospects": a count with its noun, plural unless it is one.
    public static func count(_ value: Int, _ noun: String) -> String {
        "\(count(value)) \(noun)\(value == 1 ? "" : "s")"
    }

    /// 0.123 as "12.3%".
    public static func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }

    /// Hours as "36 hours" below two days, else as "2.5 days".
    public static func duration(_ hours: Double) -> String {
        hours < 48 ? String(format: "%.0f hours", hours) : String(format: "%.1f days", hours / 24)
    }

    /// `text` padded with spaces to `width` characters, on the left when `right` (for numbers).
    public static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let gap = String(repeating: " ", count: max(0, width - text.count))
        return right ? gap + text : text + gap
    }
}
