import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import NurtureSimulator

/// The threshold sweep's HTML page and the two scores its summary names: from which sales keeps up,
/// and from which hand-offs are mostly high intent.
@Suite struct SweepPageTests {
    /// A sweep with made-up rows: `(threshold, hand-offs, high-intent hand-offs, days over)`.
    static func sweep(_ rows: [(Double, Int, Int, Int)], sequence: String = "post-webinar") -> ThresholdSweep {
        ThresholdSweep(
            sequence: sequence, prospects: 1000, days: 30, seed: 4, reps: 3, capacityPerRep: 10,
            rows: rows.map { threshold, handOffs, highIntent, over in
                ThresholdSweep.Row(
                    threshold: threshold, handOffs: Proportion(handOffs, of: 1000), quality: Proportion(highIntent, of: handOffs),
                    hoursToHandOffP50: handOffs > 0 ? 48 : nil, peakDay: handOffs / 10, overloadedDays: over)
            })
    }

    @Test func namesTheLowestScoreSalesKeepsUpFrom() {
        #expect(Self.sweep([(40, 300, 30, 5), (50, 200, 60, 0), (60, 100, 90, 0)]).lowestThresholdSalesKeepsUpFrom == 50)
        // A score in between that overloads sales again moves it up: sales must keep up from there on.
        #expect(Self.sweep([(40, 300, 30, 5), (50, 200, 60, 0), (60, 190, 90, 1), (70, 100, 95, 0)]).lowestThresholdSalesKeepsUpFrom == 70)
        #expect(Self.sweep([(40, 300, 30, 0), (50, 200, 60, 0)]).lowestThresholdSalesKeepsUpFrom == 40)
        #expect(Self.sweep([(40, 300, 30, 2), (50, 200, 60, 1)]).lowestThresholdSalesKeepsUpFrom == nil)
    }

    @Test func namesTheLowestScoreOfHighQuality() {
        let sweep = Self.sweep([(40, 300, 30, 0), (50, 200, 180, 0), (60, 0, 0, 0), (70, 100, 95, 0)])
        #expect(sweep.lowestThreshold(withQualityAtLeast: 0.9) == 50)
        #expect(sweep.lowestThreshold(withQualityAtLeast: 0.95) == 70)
        #expect(sweep.lowestThreshold(withQualityAtLeast: 0.99) == nil)
    }

    @Test func pageIsWellFormedWithAChartAndARowPerScore() throws {
        let sweep = Self.sweep([(40, 300, 30, 5), (50, 200, 60, 0), (60, 0, 0, 0)], sequence: "seq<b>&\"'")
        let html = sweep.html
        #expect(html == sweep.html)
        let document = try ParsedHTML(html)
        let charts = document.elements.filter { $0.name == "svg" }
        #expect(charts.count == 1)
        #expect(charts.first?.attributes["role"] == "img")
        #expect(document.count("table") == 1)
        #expect(document.elements.filter { $0.name == "tr" }.count == 1 + 3)
        // Bars only where there are hand-offs, red where sales falls behind; a point per rated score.
        #expect(document.elements.filter { $0.name == "rect" && $0.attributes["class"] == "bar over" }.count == 1 + 1)
        #expect(document.elements.filter { $0.name == "rect" && $0.attributes["class"] == "bar" }.count == 1 + 1)
        #expect(document.elements.filter { $0.name == "circle" }.count == 2)
        #expect(document.text.contains("seq<b>&\"'"))
        #expect(html.contains("Sales keeps up on every day from a score of <strong>50</strong>."))
        #expect(document.text.contains("3 reps \u{00D7} 10 per business day"))
        #expect(document.count("script") == 0)
    }

    @Test func documentsEveryJSONKey() throws {
        let json = try ReportJSON.encode(Self.sweep([(40, 300, 30, 5), (50, 0, 0, 0)]))
        let keys = try SimTestKit.jsonKeys(json)
        let text = try SimTestKit.reportDocs()
        let sweepSection = try #require(text.components(separatedBy: "## Threshold sweep").last)
        #expect(keys.contains("capacity_per_rep"))
        for key in keys.sorted() {
            #expect(sweepSection.contains("`\(key)`"), "the sweep section of docs/simulation-report.md does not mention `\(key)`")
        }
    }
}
