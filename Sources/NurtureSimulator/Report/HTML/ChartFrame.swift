/// The plotting area inside a chart.
struct ChartFrame {
    var width: Double, height: Double, left: Double, right: Double, top: Double, bottom: Double
    var plotWidth: Double { width - left - right }
    var plotHeight: Double { height - top - bottom }
    var bottomY: Double { height - bottom }
    var rightX: Double { width - right }
}
