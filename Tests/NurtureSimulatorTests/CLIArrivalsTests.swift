import Foundation
import NurtureTestSupport
import Testing

/// `nurture simulate --arrivals` as a subprocess: a rate, a file, and a file's bad rows; and the
/// same option on `compare`.
@Suite("nurture simulate --arrivals")
struct CLIArrivalsTests {
    static let arguments = ["simulate", "post-webinar", "--days", "30", "--format", "json"]

    static func report(_ run: ToolRun) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: run.stdoutData) as? [String: Any])
    }

    @Test func aRateUpToProspectsAndTheSameBytesOnAnyThreads() throws {
        let one = try NurtureCLI.run(Self.arguments + ["--arrivals", "100/day", "--prospects", "1500", "--threads", "1"])
        let two = try NurtureCLI.run(Self.arguments + ["--arrivals", "100/day", "--prospects", "1500", "--threads", "2"])
        #expect(one.status == 0 && !one.crashed, "stderr: \(one.stderr)")
        #expect(one.stdoutData == two.stdoutData)
        let report = try Self.report(one)
        let setup = try #require(report["setup"] as? [String: Any])
        #expect(setup["prospects"] as? Int == 1500)
        #expect(setup["arrivals"] as? String == "100/day")
        let days = try #require(report["days"] as? [[String: Any]])
        let arrivals = days.compactMap { $0["arrivals"] as? Int }
        #expect(arrivals.reduce(0, +) == 1500)
        #expect(arrivals.allSatisfy { $0 <= 100 })
        #expect(days.filter { ["sat", "sun"].contains(($0["weekday"] as? String)?.lowercased()) }.allSatisfy { $0["arrivals"] as? Int == 0 })
        #expect(report["leads_in_flight"] is Int && report["hand_offs_waiting_at_end"] is Int)
    }

    @Test func aFileOfDatesAndItsBadRowsAtLineAndField() throws {
        let folder = try TemporaryFolder.make("nurture-arrivals")
        defer { TemporaryFolder.remove(folder) }
        let good = try TemporaryFolder.write("date,count\n2026-01-06,800\n2026-01-07,100\n2026-01-12,50\n", to: "good.csv", in: folder)
        let run = try NurtureCLI.run(Self.arguments + ["--arrivals", good, "--format", "text"])
        #expect(run.status == 0 && !run.crashed, "stderr: \(run.stderr)")
        #expect(run.stdout.contains("950 prospects over 30 days"), "\(run.stdout)")
        #expect(run.stdout.contains("Arrivals: 3 dates from a file"))

        let bad = try TemporaryFolder.write("date,count\n2026-01-06,800\n2026-02-30,1\n2026-01-08,lots\n", to: "bad.csv", in: folder)
        let refused = try NurtureCLI.run(Self.arguments + ["--arrivals", bad])
        #expect(refused.status != 0 && !refused.crashed)
        #expect(refused.stderr.contains("bad.csv:3:1: error: date: '2026-02-30' is not an ISO date"), "\(refused.stderr)")
        #expect(refused.stderr.contains("bad.csv:4:12: error: count: 'lots' is not a whole number"), "\(refused.stderr)")
        #expect(refused.stdout.isEmpty)
    }

    @Test func compareSpreadsBothVariantsAlike() throws {
        let run = try NurtureCLI.run([
            "compare", "post-webinar", "post-webinar", "--days", "30", "--prospects", "1500", "--arrivals", "100/day",
            "--format", "json", "--threads", "2",
        ])
        #expect(run.status == 0 && !run.crashed, "stderr: \(run.stderr)")
        let report = try Self.report(run)
        for variant in ["a", "b"] {
            let side = try #require(report[variant] as? [String: Any])
            #expect((side["setup"] as? [String: Any])?["arrivals"] as? String == "100/day")
            let days = try #require(side["days"] as? [[String: Any]])
            #expect(days.compactMap { $0["arrivals"] as? Int }.reduce(0, +) == 1500, "\(variant)")
        }
        // The same prospects arriving at the same times meet the same sequence: no difference at all.
        let differences = try #require(report["differences"] as? [[String: Any]])
        #expect(!differences.isEmpty && differences.allSatisfy { $0["difference"] as? Double == 0 })
        let refused = try NurtureCLI.run(["compare", "post-webinar", "post-webinar", "--arrivals", "0/day"])
        #expect(refused.status != 0 && refused.stderr.contains("--arrivals: pace '0/day' is not N/day"), "\(refused.stderr)")
    }

    @Test func aBadRateOrPathIsRefusedWithItsLimit() throws {
        let zero = try NurtureCLI.run(Self.arguments + ["--arrivals", "0/day"])
        #expect(zero.status != 0 && !zero.crashed)
        #expect(zero.stderr.contains("--arrivals: pace '0/day' is not N/day with N from 1 to 1000000"), "\(zero.stderr)")
        let missing = try NurtureCLI.run(Self.arguments + ["--arrivals", "300/week"])
        #expect(missing.status != 0 && !missing.crashed)
        #expect(missing.stderr.contains("neither N/day (e.g. 300/day) nor an existing date,count file"), "\(missing.stderr)")
    }
}
