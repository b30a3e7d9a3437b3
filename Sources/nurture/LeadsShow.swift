import ArgumentParser
import Foundation
import NurtureCore
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

        func run() throws {
            let store = try store.open()
            guard let id = try store.leadID(for: lead), let (found, state) = try store.lead(id) else {
                Terminal.error("no lead '\(lead)' in \(self.store.db)")
                throw ExitCode(1)
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            print(String(decoding: try encoder.encode(ShownLead(found, state: state)), as: UTF8.self))
        }
    }
}

/// A lead as `leads show` prints it: its fields, then the state the engine keeps for it, in the
/// words of the definitions (step numbers, statuses, engagement) rather than the stored layout.
struct ShownLead: Encodable {
    struct Person: Encodable {
        var name: String
        var email: String
        var title: String?
        var phone: String?
    }

    struct State: Encodable {
        var stage: String
        var score: Double
        var scoreAsOf: Date
        var fitPoints: Double
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

    var id: String
    var email: String
    var timeZone: String?
    var stage: String?
    var owner: Person?
    var attributes: [String: String]
    var state: State?

    init(_ lead: Lead, state: LeadState?) {
        id = lead.id
        email = lead.email
        timeZone = lead.timeZone?.identifier
        stage = lead.stage
        owner = lead.owner.map { Person(name: $0.name, email: $0.email, title: $0.title, phone: $0.phone) }
        attributes = lead.attributes
        self.state = state.map { state in
            State(
                stage: state.stage, score: state.score.points, scoreAsOf: state.score.asOf, fitPoints: state.fitPoints,
                grade: state.grade, engagement: state.history,
                enrollments: state.enrollments.map { enrollment in
                    Enrollment(
                        sequence: enrollment.sequence, enrolledAt: enrollment.enrolledAt, status: Self.words(enrollment.status),
                        position: enrollment.position, wakeAt: enrollment.wakeAt, waitingForEvent: enrollment.awaiting,
                        sentSteps: enrollment.sentSteps.sorted())
                },
                recentSends: state.recentSends, suppressedBy: state.suppression?.displayName)
        }
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
