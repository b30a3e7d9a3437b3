import Foundation
import NurtureCore

/// One lead as a forecast starts from it: the lead, the engine's state for it as stored (nil for a
/// lead the engine has not seen yet), and the inputs already waiting for it (paced enrolments
/// dated ahead, events not yet processed), in the order the scheduler would apply them.
///
/// Plain values handed over by the command: the simulator never reads the store itself.
public struct ForecastLead: Sendable {
    public var lead: Lead
    public var state: LeadState?
    public var pending: [ScheduledInput]

    public init(lead: Lead, state: LeadState?, pending: [ScheduledInput] = []) {
        self.lead = lead
        self.state = state
        self.pending = pending
    }

    /// An input the scheduler will hand the engine at `at` (or at its next pass, when `at` is past).
    public struct ScheduledInput: Sendable {
        public var at: Date
        public var input: Input

        public init(at: Date, input: Input) {
            self.at = at
            self.input = input
        }
    }
}
