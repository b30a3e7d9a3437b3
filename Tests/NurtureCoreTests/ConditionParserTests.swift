import Foundation
import Testing
@testable import NurtureCore

@Suite("Condition parser")
struct ConditionParserTests {
    func parse(_ text: String) -> Condition? { try? ConditionParser.parse(text) }

    func failure(_ text: String) -> ConditionParser.Failure? {
        do {
            _ = try ConditionParser.parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func andBindsTighterThanOr() {
        #expect(parse("opened or clicked and replied") ==
            .or(.activity(.opened, category: nil), .and(.activity(.clicked, category: nil), .activity(.replied, category: nil))))
        #expect(parse("opened and clicked or replied") ==
            .or(.and(.activity(.opened, category: nil), .activity(.clicked, category: nil)), .activity(.replied, category: nil)))
        #expect(parse("(opened or clicked) and replied") ==
            .and(.or(.activity(.opened, category: nil), .activity(.clicked, category: nil)), .activity(.replied, category: nil)))
        // Chains associate to the left.
        #expect(parse("opened or clicked or replied") ==
            .or(.or(.activity(.opened, category: nil), .activity(.clicked, category: nil)), .activity(.replied, category: nil)))
    }

    @Test func notBindsTightest() {
        #expect(parse("not replied and stage == lead") ==
            .and(.not(.activity(.replied, category: nil)), .member(.stage, ["lead"], negated: false)))
        #expect(parse("not (replied or opened)") ==
            .not(.or(.activity(.replied, category: nil), .activity(.opened, category: nil))))
        #expect(parse("not not opened") == .not(.not(.activity(.opened, category: nil))))
    }

    @Test func metricsAndAttributes() {
        #expect(parse("score >= 80") == .metric(.score, .greaterOrEqual, 80))
        #expect(parse("engagement < 10.5") == .metric(.engagement, .less, 10.5))
        #expect(parse("fit_points != 5") == .metric(.fitPoints, .notEqual, 5))
        #expect(parse("score > -5") == .metric(.score, .greater, -5))
        #expect(parse("score<=80") == .metric(.score, .lessOrEqual, 80))
        #expect(parse("company_size >= 200") == .attribute("company_size", .greaterOrEqual, 200))
        #expect(parse("employees == 12") == .attribute("employees", .equal, 12))
    }

    @Test func membershipAndQuotedStrings() {
        #expect(parse("fit in [A, B]") == .member(.fit, ["A", "B"], negated: false))
        #expect(parse("fit == A") == .member(.fit, ["A"], negated: false))
        #expect(parse("fit != D") == .member(.fit, ["D"], negated: true))
        #expect(parse("stage not in [mql, sal]") == .member(.stage, ["mql", "sal"], negated: true))
        #expect(parse("stage in [lead]") == .member(.stage, ["lead"], negated: false))
        // Attribute values compare case-insensitively, so they are kept lower-cased.
        #expect(parse("industry in [Software, \"Financial Services\"]") ==
            .member(.attribute("industry"), ["software", "financial services"], negated: false))
        #expect(parse("industry == 'Financial Services'") ==
            .member(.attribute("industry"), ["financial services"], negated: false))
        #expect(parse("country not in [US, \"United Kingdom\"]") ==
            .member(.attribute("country"), ["us", "united kingdom"], negated: true))
        #expect(parse("tier in [1, 2]") == .member(.attribute("tier"), ["1", "2"], negated: false))
        #expect(parse("plan == 2nd-tier") == .member(.attribute("plan"), ["2nd-tier"], negated: false))
    }

    @Test func activitiesAndCategories() {
        #expect(parse("clicked(case-study)") == .activity(.clicked, category: "case-study"))
        #expect(parse("visited(pricing)") == .activity(.visited, category: "pricing"))
        #expect(parse("filled(demo_request)") == .activity(.filled, category: "demo_request"))
        #expect(parse("clicked") == .activity(.clicked, category: nil))
        #expect(parse("clicked(case-study) or visited(pricing)") ==
            .or(.activity(.clicked, category: "case-study"), .activity(.visited, category: "pricing")))
    }

    @Test(arguments: [
        ("score >= ", "'score' compares with a number, found the end of the condition", 9),
        ("score = 5", "unknown operator '=' (use '==' to compare)", 6),
        ("clicked(", "expected a category inside 'clicked(...)', found the end of the condition", 8),
        ("fit > A", "'fit' can only be compared with '==', '!=' or 'in', not '>' 'A'", 6),
        ("foo(bar)", "unknown function 'foo'; expected one of clicked, visited, filled", 0),
        ("a && b", "unexpected '&': write 'and' / 'or'", 2),
        ("opened || clicked", "unexpected '|': write 'and' / 'or'", 7),
        ("", "expected a condition such as 'score >= 40' or 'clicked(pricing)', found the end of the condition", 0),
        ("opened clicked", "expected 'and', 'or' or the end of the condition, found 'clicked'", 7),
        ("(opened or clicked", "expected ')' to close the parenthesis, found the end of the condition", 18),
        ("replied(yes)", "'replied' takes no category; write 'replied' alone", 7),
        ("clicked(pricing", "expected ')' after the category, found the end of the condition", 15),
        ("industry == \"soft", "unterminated string", 12),
        ("score >= high", "'score' compares with a number, found 'high'", 9),
        ("score in [1, 2]", "'score' compares with a number, not a list", 0),
        ("stage in lead", "expected '[' to open the list, found 'lead'", 9),
        ("fit in [A,", "expected a value in the list, found the end of the condition", 10),
        ("fit in [A B]", "expected ',' or ']' in the list, found 'B'", 10),
        ("score", "expected a comparison after 'score', found the end of the condition", 5),
        ("stage not lead", "expected 'in' after 'not', found 'lead'", 10),
        ("company_size >= ", "expected a value after '>='", 16),
        ("score >= 5 # note", "unexpected character '#'", 11),
        ("score >= 5 and", "expected a condition such as 'score >= 40' or 'clicked(pricing)', found the end of the condition", 14),
        ("score >= 1.2.3", "'1.2.3' is not a number", 9),
        ("and opened", "expected a condition such as 'score >= 40' or 'clicked(pricing)', found 'and'", 0),
    ])
    func reportsErrorsWithOffsets(text: String, message: String, offset: Int) {
        let error = failure(text)
        #expect(error?.message == message)
        #expect(error?.offset == offset)
        #expect(error?.description == message)
    }

    @Test func unknownBareNameExplainsWhatIsExpected() {
        let error = failure("industry and opened")
        #expect(error?.offset == 0)
        #expect(error?.message.hasPrefix("unknown condition 'industry'; expected score, engagement, fit, stage") == true)
    }

    // MARK: Evaluation

    func facts(
        _ grade: Fixtures.Grade = .A, stage: String = "lead", engagement: Double = 0, events: [EngagementEvent] = [],
        extra: [String: String] = [:]
    ) -> Facts {
        var history = EngagementHistory()
        events.forEach { history.record($0) }
        let fit = Fixtures.fitPoints(grade)
        return Facts(
            lead: Fixtures.lead(grade, extra: extra), score: fit + engagement, engagement: engagement, fitPoints: fit,
            grade: grade.rawValue, stage: stage, history: history)
    }

    @Test func evaluatesMetricsGradesAndStages() {
        let hot = facts(.A, engagement: 40)
        #expect(condition("score >= 80 and fit in [A, B]").evaluate(hot))
        #expect(!condition("score >= 80 and fit in [A, B]").evaluate(facts(.C, engagement: 75)))
        #expect(condition("engagement == 40 and fit_points == 45").evaluate(hot))
        #expect(condition("stage == lead").evaluate(hot))
        #expect(condition("stage not in [mql, sal]").evaluate(hot))
        #expect(!condition("stage in [mql, sal]").evaluate(hot))
        #expect(condition("fit != D").evaluate(hot))
    }

    @Test func evaluatesAttributes() {
        let lead = facts(.A, extra: ["country": "United Kingdom"])
        #expect(condition("industry in [software, \"financial services\"]").evaluate(lead))
        #expect(condition("company_size >= 200").evaluate(lead))
        #expect(!condition("company_size > 500").evaluate(lead))
        #expect(condition("country == \"united kingdom\"").evaluate(lead))
        #expect(condition("country in [US, \"United Kingdom\"]").evaluate(lead))
        #expect(!condition("country not in [US, \"United Kingdom\"]").evaluate(lead))
        #expect(condition("email == \"Ada@Acme.example\"").evaluate(lead))
        // A missing attribute is not equal to anything, and not comparable with a number.
        #expect(!condition("region == emea").evaluate(lead))
        #expect(condition("region != emea").evaluate(lead))
        #expect(!condition("region_size >= 0").evaluate(lead))
        // A non-numeric attribute is not comparable with a number.
        #expect(!condition("industry >= 0").evaluate(lead))
    }

    @Test func evaluatesActivities() {
        let none = facts()
        for text in ["opened", "clicked", "replied", "visited", "filled", "clicked(pricing)"] {
            #expect(!condition(text).evaluate(none), "\(text)")
        }
        let busy = facts(events: [
            EngagementEvent(.emailOpen), EngagementEvent(.emailClick, category: "case-study"),
            EngagementEvent(.pageVisit, category: "pricing"), EngagementEvent(.formFill, category: "demo"),
            EngagementEvent(.reply), EngagementEvent(.unsubscribe),
        ])
        for text in ["opened", "clicked", "replied", "visited", "filled", "clicked(case-study)", "visited(pricing)", "filled(demo)"] {
            #expect(condition(text).evaluate(busy), "\(text)")
        }
        #expect(!condition("clicked(pricing)").evaluate(busy))
        #expect(!condition("not replied").evaluate(busy))
        let uncategorised = facts(events: [EngagementEvent(.emailClick)])
        #expect(condition("clicked").evaluate(uncategorised))
        #expect(!condition("clicked(case-study)").evaluate(uncategorised))
    }

    @Test func descriptionParsesBackToTheSameCondition() {
        for text in [
            "score >= 80 and fit in [A, B]",
            "opened or clicked and replied",
            "(opened or clicked) and not replied",
            "not (stage == lead or stage == recycled)",
            "industry in [software, \"financial services\"] and company_size >= 200",
            "clicked(case-study) or visited(pricing) or filled(demo)",
            "stage not in [mql, sal] and engagement < 2.5",
        ] {
            let parsed = condition(text)
            #expect(condition(parsed.description) == parsed, "\(text) -> \(parsed.description)")
        }
        #expect(condition("(opened or clicked) and not replied").description == "(opened or clicked) and not replied")
        #expect(condition("fit in [B, A]").description == "fit in [A, B]")
        #expect(condition("fit in [A]").description == "fit == A")
    }
}
