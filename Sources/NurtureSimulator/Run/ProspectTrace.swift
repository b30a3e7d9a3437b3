import Foundation
import NurtureCore

/// One dry-run prospect, told in full: the lead it stood for, what reached the engine from outside
/// it (the prospect's events and its reps' answers) at their times, and what the dry-run's driver
/// made of them. Everything else the run did follows from these inputs and time alone, so the same
/// inputs given to the scheduler must give the same sends, hand-offs and final state: the paired
/// check of the two drivers replays a trace through a real store to show that they do.
public struct ProspectTrace: Sendable {
    /// An email the engine sent, by its sequence and step id.
    public struct Sent: Hashable, Sendable {
        public var at: Date
        public var sequence: String
        public var step: String

        public init(at: Date, sequence: String, step: String) {
            self.at = at
            self.sequence = sequence
            self.step = step
        }
    }

    public var lead: Lead
    /// When the prospect entered the simulated sequence.
    public var arrival: Date
    /// Events and the reps' answers, in the order the engine took them. An answer the lifecycle
    /// refused is not here (nothing took it), and neither is an expiry: time alone brings that.
    public var inputs: [(at: Date, input: Input)] = []
    public var sends: [Sent] = []
    /// Every hand-off the engine made (not the re-queues of expired ones, which are the desk's).
    public var handOffs: [Date] = []
    /// The lead's engine state at the horizon.
    public var state: LeadState

    init(lead: Lead, arrival: Date, state: LeadState) {
        self.lead = lead
        self.arrival = arrival
        self.state = state
    }
}

extension Simulation {
    /// Runs prospect `index` of `setup` alone, as `run` runs it among the others, and tells its story.
    public static func trace(_ setup: SimulationSetup, prospect index: Int) throws -> ProspectTrace {
        var stats = try emptyStats(for: setup)
        guard (0..<setup.prospects).contains(index) else {
            throw Failure(description: "no prospect \(index): the run has \(setup.prospects)")
        }
        var run = ProspectRun(setup: setup)
        run.tracing = true
        run.run(index: index, into: &stats)
        return run.trace!
    }
}
