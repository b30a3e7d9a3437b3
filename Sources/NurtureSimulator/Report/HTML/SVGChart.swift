import Foundation
import NurtureBasics

/// One inline SVG chart: a viewBox so it scales, `role="img"`, a title and a description.
struct SVGChart {
    let id: String
    let width: Double
    let height: Double
    let title: String
    let description: String
    private var body: [String] = []

    init(id: String, width: Double, height: Double, title: String, description: String) {
        self.id = id
        self.width = width
        self.height = height
        self.title = title
        self.description = description
    }

    mutating func add(_ element: String) { body.append(element) }

    var markup: String {
        let w = String(Int(width.rounded())), h = String(Int(height.rounded()))
        return (["<div class=\"chart-wrap\">", "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(w) \(h)\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\">",
                 "<title id=\"\(id)-title\">\(HTMLEscaping.pageText(title))</title>",
                 "<desc id=\"\(id)-desc\">\(HTMLEscaping.pageText(description))</desc>"]
                + body + ["</svg>", "</div>"]).joined(separator: "\n")
    }

    /// Grid, y ticks, both axes and their labels.
    mutating func axes(frame: ChartFrame, scale: NiceScale, yLabel: String, xLabel: String) {
        for value in stride(from: 0, through: scale.top, by: scale.step) {
            let ty = frame.bottomY - Double(value) / Double(scale.top) * frame.plotHeight
            if value > 0 {
                add("<line class=\"grid\" x1=\"\(n(frame.left))\" y1=\"\(n(ty))\" x2=\"\(n(frame.rightX))\" y2=\"\(n(ty))\"/>")
            }
            add("<text class=\"tick\" x=\"\(n(frame.left - 8))\" y=\"\(n(ty + 4))\" text-anchor=\"end\">\(HTMLEscaping.pageText(Figures.count(value)))</text>")
        }
        add("<line class=\"axis\" x1=\"\(n(frame.left))\" y1=\"\(n(frame.bottomY))\" x2=\"\(n(frame.rightX))\" y2=\"\(n(frame.bottomY))\"/>")
        add("<line class=\"axis\" x1=\"\(n(frame.left))\" y1=\"\(n(frame.top))\" x2=\"\(n(frame.left))\" y2=\"\(n(frame.bottomY))\"/>")
        add("<text class=\"axis-label\" x=\"\(n(frame.left + frame.plotWidth / 2))\" y=\"\(n(frame.bottomY + 44))\" text-anchor=\"middle\">\(HTMLEscaping.pageText(xLabel))</text>")
        add("<text class=\"axis-label\" transform=\"translate(18 \(n(frame.top + frame.plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">\(HTMLEscaping.pageText(yLabel))</text>")
    }

    enum LegendItem {
        case swatch(String, String)
        case line(String, String)
    }

    mutating func legend(x: Double, y: Double, items: [LegendItem]) {
        var cx = x
        add("<g class=\"legend\">")
        for item in items {
            switch item {
            case let .swatch(kind, label):
                add("<rect class=\"\(kind)\" x=\"\(n(cx))\" y=\"\(n(y - 10))\" width=\"14\" height=\"14\"/>")
                add("<text x=\"\(n(cx + 20))\" y=\"\(n(y + 2))\">\(HTMLEscaping.pageText(label))</text>")
                cx += 20 + Self.textWidth(label) + 22
            case let .line(kind, label):
                add("<path class=\"\(kind)\" d=\"M\(n(cx)) \(n(y - 3))H\(n(cx + 22))\"/>")
                add("<text x=\"\(n(cx + 28))\" y=\"\(n(y + 2))\">\(HTMLEscaping.pageText(label))</text>")
                cx += 28 + Self.textWidth(label) + 22
            }
        }
        add("</g>")
    }

    /// A rough width for 12px sans-serif text, enough to lay out a legend.
    static func textWidth(_ text: String) -> Double { Double(text.count) * 6.3 }

    /// A generous width for 12px semibold text: wide enough for the widest common sans-serif, so
    /// that a label placed by it never runs past a chart's edge.
    static func boldTextWidth(_ text: String) -> Double { Double(text.count) * 7.6 }

    private func n(_ value: Double) -> String { Self.number(value) }

    /// A coordinate with at most one decimal, the same on every platform.
    static func number(_ value: Double) -> String {
        let text = String(format: "%.1f", value)
        let trimmed = text.hasSuffix(".0") ? String(text.dropLast(2)) : text
        return trimmed == "-0" ? "0" : trimmed
    }
}
