/// Where a marker line's label goes: beside the line on the side it prefers, or on the other side
/// when it would run past the chart's edge there (a median near day 0, a 90th percentile near the
/// end of a short run); pinned to the edge when it fits on neither.
struct MarkerLabel {
    /// The text's anchor point, and whether the text ends there (`end`) or starts there (`start`).
    let x: Double
    let anchor: String

    static let gap = 5.0, margin = 4.0

    init(line: Double, width: Double, prefersLeft: Bool, chartWidth: Double) {
        let fitsLeft = line - Self.gap - width >= Self.margin
        let fitsRight = line + Self.gap + width <= chartWidth - Self.margin
        switch (prefersLeft, fitsLeft, fitsRight) {
        case (true, true, _), (false, true, false): (x, anchor) = (line - Self.gap, "end")
        case (false, _, true), (true, false, true): (x, anchor) = (line + Self.gap, "start")
        case (_, false, false) where line < chartWidth / 2: (x, anchor) = (Self.margin, "start")
        case (_, false, false): (x, anchor) = (chartWidth - Self.margin, "end")
        }
    }
}
