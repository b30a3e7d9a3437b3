import Foundation
import NurtureCore
import NurtureSimulator
import Testing

/// Each profile (persona, attribute values, zone, rep) enrolls once and its prospects start from
/// that enrollment: every prospect must still get its own profile's, never another's.
@Suite("Profile enrollments")
struct ProfileEnrollmentTests {
    @Test("an audience only some profiles meet enrolls those prospects, and each of them gets the first email at once")
    func audienceSplitsProfiles() async throws {
        // Hand-off at 60, so that no one's fit alone (at most 30 points) hands them off at once.
        var setup = SimTestKit.smallSetup(prospects: 5000, handOff: 60)
        // Grade A takes a VP or Director (20 points) at a company of 200 to 5,000 (10): half the
        // titles and half the sizes in every persona, so a quarter of the prospects.
        let sequence = setup.definitions.sequences["small"]!
        var narrowed = sequence
        narrowed.audience = .member(.fit, ["A"], negated: false)
        setup.definitions.sequences["small"] = narrowed
        let stats = try await Simulation.run(setup, threads: 2)

        let enrolled = stats[.enrolled], refused = stats.endings[SimulationStats.Ending.refused.rawValue]
        let share = Double(enrolled) / Double(stats.prospects)
        let margin = 2.576 * (0.25 * 0.75 / Double(stats.prospects)).squareRoot()
        #expect(abs(share - 0.25) < margin, "\(enrolled) of \(stats.prospects) enrolled")
        #expect(enrolled + refused == stats.prospects)
        // The window is open at the start: the enrollment itself sends the first email, to every
        // prospect enrolled and to no one else.
        #expect(stats.steps[0].sent == enrolled)
        #expect(stats.emailsPerProspect[0] == refused)
    }
}
