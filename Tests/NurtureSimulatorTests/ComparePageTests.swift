import Foundation
import Testing
@testable import NurtureSimulator

/// The comparison's HTML page: well-formed, one row per rate on its chart, the clear differences
/// in colour and named in the summary, the variants' names escaped.
@Suite struct ComparePageTests {
    @Test func showsEachRateAndNamesTheClearDifferences() async throws {
        let a = SimTestKit.smallSetup(prospects: 2100, days: 10, handOff: 35)
        let b = SimTestKit.smallSetup(prospects: 2100, days: 10, handOff: 15)
        let comparison = try await Simulation.compare(a, b, threads: 2)
        let handOffs = try #require(comparison.differences.first { $0.measure == "handed_off_rate" })
        #expect(handOffs.isClear && handOffs.difference > 0)

        let html = comparison.html(nameA: "strict <35>", nameB: "lenient & quick")
        #expect(html == comparison.html(nameA: "strict <35>", nameB: "lenient & quick"))
        let document = try ParsedHTML(html)
        #expect(document.elements.filter { $0.name == "svg" }.count == 1)
        let dots = document.elements.filter { $0.name == "circle" }
        #expect(dots.count == 6)
        #expect(dots.filter { $0.attributes["class"] == "difference clear" }.count == comparison.differences.filter { $0.isClear && $0.isRate }.count)
        // Every measure, then days to hand-off over the prospects handed off in both.
        let timing = comparison.handOffTiming
        #expect(timing.both > 0 && timing.days.isClear)
        #expect(document.elements.filter { $0.name == "tr" }.count == 1 + comparison.differences.count + 1)
        #expect(document.text.contains("days to hand-off"))
        #expect(document.text.contains("Of the \(timing.both) prospects handed off in both, B hands off \(timing.sooner) sooner, 0 later"))
        #expect(document.text.contains("B sooner"))
        #expect(document.text.contains("strict <35>") && document.text.contains("lenient & quick"))
        #expect(html.contains("handed off rate \(handOffs.formattedDelta(handOffs.difference))"))
        #expect(document.count("script") == 0)
    }

    @Test func saysSoWhenNothingDiffers() async throws {
        let setup = SimTestKit.smallSetup(prospects: 600, days: 10)
        let comparison = try await Simulation.compare(setup, setup, threads: 2)
        let html = comparison.html(nameA: "A", nameB: "A again")
        #expect(html.contains("<strong>no clear difference</strong>"))
        #expect(try ParsedHTML(html).elements.filter { $0.attributes["class"] == "difference clear" }.isEmpty)
    }
}
