import ArgumentParser
import Foundation
import NurtureCore
import NurtureDefinitions
import NurtureStore

extension Leads {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a lead and its engine state (score, stage, enrollments) as JSON.",
            discussion: "The store keeps engine states in a compact binary form; this is how to read one."
        )

        @Argument(help: "The lead's id or email address.")
        var lead: String

        @OptionGroup var store: StoreOptions

        @Option(help: ArgumentHelp("The definitions folder, whose scoring model gives the score.", valueName: "folder"))
        var definitions: String = "sequences"

        func run() throws {
            let scoring = try DefinitionsFolder.load(definitions).0.scoring
            let store = try store.openShared(.reading)
            guard let id = try store.leadID(for: lead), let (found, state) = try store.lead(id) else {
                Terminal.error("no lead '\(lead)' in \(self.store.db)")
                throw ExitCode(1)
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            print(String(decoding: try encoder.encode(ShownLead(found, state: state, scoring: scoring, now: Date())), as: UTF8.self))
        }
    }
}

/// A lead as `leads show` prints it: its fields as the store keeps them, then the state the engine
/// keeps for it, in the words of the definitions (step numbers, statuses, engagement) rather than
/// the stored layout.
struct ShownLead: Encodable {
    struct State: Encodable {
        var stage: String
        /// The score as the engine computes it at `scoreAsOf`: fit points plus decayed engagement.
        var score: Double
        var scoreAsOf: Date
        var fitPoints: Double
        var engagementPoints: Double
        var grade: String
        var engagement: EngagementHistory
        var enrollments: [Enrollment]
        var recentSends: [Date]
        var suppressedBy: String?
    }

    struct Enrollment: Encodable {
        var sequence: String
        var enrolledAt: Date
        var status: String
        /// The index of the step to run next.
        var position: Int
        var wakeAt: Date?
        var waitingForEvent: Bool
        var sentSteps: [Int]
    }

    var profile: LeadProfile
    var state: State?

    init(_ lead: Lead, state: LeadState?, scoring: ScoringModel, now: Date) {
        profile = LeadProfile(lead)
        self.state = state.map { state in
            let engagement = state.score.value(at: now, model: scoring)
            return State(
                stage: state.stage, score: state.fitPoints + engagement, scoreAsOf: now, fitPoints: state.fitPoints,
                engagementPoints: engagement, grade: state.grade, engagement: state.history,
                enrollments: state.enrollments.map { enrollment in
                    Enrollment(
                        sequence: enrollment.sequence, enrolledAt: enrollment.enrolledAt, status: Self.words(enrollment.status),
                        position: enrollment.position, wakeAt: enrollment.wakeAt, waitingForEvent: enrollment.awaiting,
                        sentSteps: enrollment.sentSteps.sorted())
                },
                recentSends: state.recentSends, suppressedBy: state.suppression?.displayName)
        }
    }

    private enum CodingKeys: String, CodingKey { case state }

    /// The profile's fields and `state` side by side in one object.
    func encode(to encoder: any Encoder) throws {
        try profile.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(state, forKey: .state)
    }

    static func words(_ status: NurtureCore.Enrollment.Status) -> String {
        switch status {
        case .active: "active"
        case .completed: "completed"
        case .handedOff: "handed off"
        case let .exited(reason): "exited: \(reason)"
        }
    }
}
