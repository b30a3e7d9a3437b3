import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import NurtureBasics
import NurtureCore
import NurturePersonas
import Testing
@testable import NurtureSimulator

/// The HTML report: well-formed, three accessible charts, escaped text, the same bytes every time.
/// The JSON form: every key it encodes is documented in docs/simulation-report.md.
@Suite struct ReportHTMLTests {
    @Test func isWellFormedXHTML() async throws {
        let html = try await ReportHTMLFixture.report().html
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        let document = try ParsedHTML(html)
        #expect(document.root == "html")
        #expect(document.count("head") == 1 && document.count("body") == 1)
        #expect(document.count("meta") >= 1)
        #expect(document.count("table") == 3)
    }

    @Test func hasThreeAccessibleScalableCharts() async throws {
        let document = try ParsedHTML(try await ReportHTMLFixture.report().html)
        let charts = document.elements.filter { $0.name == "svg" }
        #expect(charts.count == 3)
        for chart in charts {
            #expect(chart.attributes["role"] == "img")
            #expect(chart.attributes["viewBox"]?.hasPrefix("0 0 ") == true)
            #expect(chart.firstChild == "title")
            #expect(!(chart.firstChildText ?? "").isEmpty)
        }
        // Axis labels on every chart.
        #expect(document.elements.filter { $0.attributes["class"] == "axis-label" }.count == 6)
    }

    @Test func escapesHostileText() async throws {
        let report = try await ReportHTMLFixture.report()
        let html = report.html
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;"))
        #expect(html.contains("&amp;"))
        #expect(html.contains("&quot;"))
        #expect(html.contains("&#39;"))
        // The parser gives the original strings back: escaped, not mangled.
        let document = try ParsedHTML(html)
        #expect(document.text.contains(ReportHTMLFixture.hostileName))
        #expect(document.text.contains(ReportHTMLFixture.hostileSequence))
        #expect(document.count("script") == 0)
    }

    @Test func isDeterministic() async throws {
        let one = try await ReportHTMLFixture.report(threads: 1)
        let four = try await ReportHTMLFixture.report(threads: 4)
        #expect(one.html == one.html)
        #expect(Data(one.html.utf8) == Data(four.html.utf8))
    }

    @Test func highlightsOverloadedDays() async throws {
        let report = try await ReportHTMLFixture.report(capacityPerRep: 1)
        #expect(!report.overloadedDays.isEmpty)
        let document = try ParsedHTML(report.html)
        let bars = document.elements.filter { $0.name == "rect" && $0.attributes["class"] == "bar over" }
        let bands = document.elements.filter { $0.name == "rect" && $0.attributes["class"] == "over-band" }
        // A shaded band on every overloaded day, a red bar on those with arrivals, plus the legend swatches.
        let arrivals = report.days.filter { report.overloadedDays.contains($0.day) && $0.handOffs > 0 }.count
        #expect(arrivals > 0)
        #expect(bands.count == report.overloadedDays.count + 1)
        #expect(bars.count == arrivals + 1)
        let normal = document.elements.filter { $0.name == "rect" && $0.attributes["class"] == "bar" }
        #expect(!normal.isEmpty)
        #expect(document.text.contains("Over capacity"))
    }

    @Test func rendersWithoutHandOffs() async throws {
        let report = try await ReportHTMLFixture.report(handOffScore: 10_000)
        #expect(report.hoursToHandOffP50 == nil)
        let document = try ParsedHTML(report.html)
        #expect(document.elements.filter { $0.name == "svg" }.count == 3)
        #expect(document.text.contains("No hand-offs in 14 days"))
    }

    @Test func formatsNumbersLikeTheTextReport() async throws {
        let report = try await ReportHTMLFixture.report()
        let html = report.html
        #expect(html.contains("1,200"))
        let handedOff = report[.handedOff]
        #expect(html.contains(Figures.percent(handedOff.rate)))
    }

    @Test func countsTakeTheirNounInTheSingularForOne() async throws {
        #expect(Figures.count(1, "day") == "1 day")
        #expect(Figures.count(0, "hand-off") == "0 hand-offs")
        #expect(Figures.count(10_000, "prospect") == "10,000 prospects")
        var setup = SimTestKit.smallSetup(prospects: 1, days: 1)
        setup.reps = 1
        let report = SimulationReport(stats: try await Simulation.run(setup, threads: 1), setup: setup)
        #expect(report.text.hasPrefix("Dry run of small: 1 prospect over 1 day, seed 7"), "\(report.text)")
        #expect(report.html.contains("Dry run of small: 1 prospect over 1 day, seed 7"))
    }

    @Test func documentsEveryJSONKey() async throws {
        let json = try await ReportHTMLFixture.report().json()
        let keys = try SimTestKit.jsonKeys(json)
        // `endings` is keyed by ending, not by field: those are listed in the docs too.
        let text = try SimTestKit.reportDocs()
        for key in keys.sorted() {
            #expect(text.contains("`\(key)`"), "docs/simulation-report.md does not mention `\(key)`")
        }
    }
}

/// A small real run built from Core types: two emails, a click-driven hand-off, and a persona
/// whose name tries to break out of the markup.
enum ReportHTMLFixture {
    static let hostileName = "Evil <script>alert(\"x\")</script> & 'co'"
    static let hostileSequence = "seq<b>&\"'"
    static let newYork = TimeZone(identifier: "America/New_York")!

    static func report(
        threads: Int = 2, capacityPerRep: Int = 20, handOffScore: Double = 5
    ) async throws -> SimulationReport {
        let setup = setup(capacityPerRep: capacityPerRep, handOffScore: handOffScore)
        let stats = try await Simulation.run(setup, threads: threads)
        return SimulationReport(stats: stats, setup: setup)
    }

    static func setup(capacityPerRep: Int, handOffScore: Double) -> SimulationSetup {
        let lifecycle = Lifecycle(
            stages: [
                Stage(id: "lead", name: "Lead", owner: .marketing),
                Stage(id: "mql", name: "MQL", owner: .marketing),
            ],
            entryStage: "lead", handoffStage: "mql",
            defaultOwner: Rep(name: "Sales queue", email: "sales@example.com"),
            businessHours: SendWindow(days: [.monday, .tuesday, .wednesday, .thursday, .friday],
                                      opens: 9 * 3600, closes: 17 * 3600, timeZone: newYork),
            transitions: [],
            serviceLevels: [ServiceLevel(stage: "mql", owner: .sales, promise: "accept", within: .businessHours(8))])
        let scoring = ScoringModel(
            grades: [("A", 0)],
            engagement: [.emailClick: EngagementRule(points: 5), .emailOpen: EngagementRule(points: 1)])
        let steps = [
            Step(id: "first-email", kind: .email(template: "t/one"), next: 1),
            Step(id: "pause", kind: .wait(.days(3)), next: 2),
            Step(id: "second-email", kind: .email(template: "t/two"), next: nil),
        ]
        let sequence = NurtureSequence(
            id: hostileSequence,
            thresholds: [Threshold(condition: .metric(.score, .greaterOrEqual, handOffScore), action: .handOff(reason: "clicked"))],
            steps: steps)
        let definitions = DefinitionSet(lifecycle: lifecycle, scoring: scoring, sequences: [sequence])
        let personas = [
            Persona(id: "keen", name: hostileName, share: 0.5, highIntent: true, open: 0.8, click: 0.6, reply: 0.02,
                    unsubscribe: 0.01, bounce: 0.02),
            Persona(id: "lukewarm", share: 0.5, open: 0.3, click: 0.1, reply: 0.01, unsubscribe: 0.02, bounce: 0.05,
                    machineOpen: 0.3),
        ]
        let population = Population(personas: personas, timeZones: Mix([("America/New_York", 1.0)])!)!
        return SimulationSetup(
            definitions: definitions, sequence: hostileSequence, population: population, prospects: 1_200, days: 14,
            seed: 7, start: Date(timeIntervalSince1970: 1_767_621_600), reps: 2, capacityPerRep: capacityPerRep)
    }
}

/// The page parsed as XML (after dropping the HTML5 doctype line), flattened for assertions.
struct ParsedHTML {
    struct Element {
        var name: String
        var attributes: [String: String]
        var firstChild: String?
        var firstChildText: String?
    }

    var root: String?
    var elements: [Element] = []
    var text = ""

    init(_ html: String) throws {
        let body = html.replacingOccurrences(of: "<!DOCTYPE html>\n", with: "")
        let parser = XMLParser(data: Data(body.utf8))
        let collector = Collector()
        parser.delegate = collector
        guard parser.parse() else {
            throw ParseFailure(description: "line \(parser.lineNumber), column \(parser.columnNumber): \(String(describing: parser.parserError))")
        }
        root = collector.elements.first?.name
        elements = collector.elements
        text = collector.text
    }

    func count(_ name: String) -> Int { elements.filter { $0.name == name }.count }

    struct ParseFailure: Error, CustomStringConvertible { var description: String }

    private final class Collector: NSObject, XMLParserDelegate {
        var elements: [Element] = []
        var text = ""
        /// Indices into `elements` of the open elements, innermost last.
        private var open: [Int] = []
        private var textOf: [Int: String] = [:]

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            if let parent = open.last, elements[parent].firstChild == nil { elements[parent].firstChild = name }
            elements.append(Element(name: name, attributes: attributes))
            open.append(elements.count - 1)
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            let closed = open.removeLast()
            if let parent = open.last, elements[parent].firstChild == name, elements[parent].firstChildText == nil {
                elements[parent].firstChildText = textOf[closed] ?? ""
            }
            text += " "
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            text += string
            if let current = open.last { textOf[current, default: ""] += string }
        }
    }
}
