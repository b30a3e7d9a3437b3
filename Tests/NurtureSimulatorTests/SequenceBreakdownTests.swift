import Foundation
import NurtureCore
import NurtureSimulator
import Testing

/// When reps' answers move prospects into other sequences (re-engagement after `reject(not-ready)`
/// on the shipped lifecycle), the run follows them there and the report breaks the run down by sequence.
@Suite("Sequences by lifecycle move")
struct SequenceBreakdownTests {
    @Test("rejected prospects are followed into re-engagement, and the breakdown adds up to the totals")
    func followsTheLifecycle() async throws {
        var setup = try SimTestKit.shippedSetup(prospects: 4000, days: 45, seed: 5)
        setup.population.reps?.acceptance = [:]
        setup.population.reps?.defaultAcceptance = 0.2
        let stats = try await Simulation.run(setup, threads: 2)
        let report = SimulationReport(stats: stats, setup: setup)
        let rows = try #require(report.sequences)
        #expect(rows.first?.sequence == "post-webinar" && rows.first?.simulated == true)
        let reengagement = try #require(rows.first { $0.sequence == "recycled-reengagement" })
        #expect(reengagement.enrolled > 0 && reengagement.sent > 0)
        // Only a reject(not-ready) enrolls in it, and each such prospect is counted once.
        #expect(reengagement.enrolled <= (stats.sla?.reenrolledLeads ?? 0) + (stats.sla?.rejected ?? 0))
        #expect(rows.reduce(0) { $0 + $1.sent } == report.emails)
        #expect(stats.sla?.otherSequenceEmails == rows.dropFirst().reduce(0) { $0 + $1.sent })
        for row in rows { #expect(row.completed + row.exited + row.stillActive == row.enrolled, "\(row.sequence)") }
        #expect(report.text.contains("By sequence") && report.html.contains("<section id=\"sequences\">"))
        #expect(try report.json().contains("\"sequences\""))
    }

    @Test("a run that stays in one sequence has no breakdown")
    func oneSequence() async throws {
        var setup = try SimTestKit.shippedSetup(prospects: 1500, days: 30, seed: 5)
        setup.population.reps = nil
        let report = SimulationReport(stats: try await Simulation.run(setup, threads: 2), setup: setup)
        #expect(report.sequences == nil)
        #expect(try !report.json().contains("\"sequences\""))
    }
}
