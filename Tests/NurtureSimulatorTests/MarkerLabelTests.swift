import Testing
@testable import NurtureSimulator

/// Where a marker line's label goes (the median and the 90th percentile on the time-to-hand-off
/// chart): on its preferred side when it fits there, never past the chart's edges.
@Suite struct MarkerLabelTests {
    static let chartWidth = 900.0

    static func place(line: Double, width: Double, prefersLeft: Bool, chartWidth: Double) -> (Double, String) {
        let label = MarkerLabel(line: line, width: width, prefersLeft: prefersLeft, chartWidth: chartWidth)
        return (label.x, label.anchor)
    }

    /// The label's left and right ends.
    static func extent(_ label: MarkerLabel, width: Double) -> ClosedRange<Double> {
        label.anchor == "end" ? (label.x - width)...label.x : label.x...(label.x + width)
    }

    @Test func staysOnItsPreferredSideWhenItFits() {
        #expect(Self.place(line: 450, width: 120, prefersLeft: true, chartWidth: Self.chartWidth) == (445, "end"))
        #expect(Self.place(line: 450, width: 120, prefersLeft: false, chartWidth: Self.chartWidth) == (455, "start"))
    }

    @Test func crossesTheLineNearAnEdge() {
        // A 90th percentile at the end of a short run: the label goes left of its line.
        #expect(Self.place(line: 860, width: 150, prefersLeft: false, chartWidth: Self.chartWidth) == (855, "end"))
        // A median near day 0: the label goes right of its line.
        #expect(Self.place(line: 70, width: 120, prefersLeft: true, chartWidth: Self.chartWidth) == (75, "start"))
    }

    @Test func neverLeavesTheChart() {
        for line in stride(from: 0.0, through: Self.chartWidth, by: 7) {
            for width in stride(from: 10.0, through: Self.chartWidth - 2 * MarkerLabel.margin, by: 13) {
                for prefersLeft in [true, false] {
                    let label = MarkerLabel(line: line, width: width, prefersLeft: prefersLeft, chartWidth: Self.chartWidth)
                    let extent = Self.extent(label, width: width)
                    #expect(extent.lowerBound >= MarkerLabel.margin && extent.upperBound <= Self.chartWidth - MarkerLabel.margin,
                            "line \(line), width \(width): \(extent)")
                    // Beside its line, on either side, whenever it fits there.
                    let fitsBeside = line - MarkerLabel.gap - width >= MarkerLabel.margin
                        || line + MarkerLabel.gap + width <= Self.chartWidth - MarkerLabel.margin
                    if fitsBeside {
                        #expect(!extent.contains(line), "line \(line), width \(width): the label covers its line")
                    }
                }
            }
        }
    }
}
