import Foundation
import Hummingbird
import NurtureCore
import NurtureDefinitions
import NurtureOperations
import NurtureStore

/// `POST /api/events`: a source's events and rep actions, in the format of `nurture events ingest`
/// (`at, type, category, step, lead, id, action, amount, currency`), through the same `EventIntake`. Each item is
/// answered on its own (accepted, duplicate or rejected, with its line or index), and the good
/// items are kept when others are bad. Idempotent by event id within the source.
struct EventAPIRoutes: Sendable {
    let store: any WebStore
    /// Checks rep actions; without it they are rejected item by item, and events still go in.
    let lifecycle: Lifecycle?

    func add(to router: Router<WebContext>) {
        router.group("api/events")
            .add(middleware: BearerTokenAuthenticator(store: store))
            .add(middleware: CallerRequirement(kind: .source))
            .post { request, context in try await ingest(request, context: context) }
    }

    struct Outcome: Encodable, Sendable {
        enum Status: String, Encodable, Sendable {
            case accepted, duplicate, rejected
        }

        /// The NDJSON line, from 1.
        var line: Int?
        /// The index in a JSON array (or 0 for one object).
        var index: Int?
        var status: Status
        var error: String?
        var warnings: [String]?
    }

    struct Answer: Encodable, Sendable {
        var source: String
        var accepted = 0
        var duplicates = 0
        var rejected = 0
        var results: [Outcome] = []
    }

    func ingest(_ request: Request, context: WebContext) async throws -> Response {
        guard case let .source(source) = context.identity else { return APIAnswer.unauthorized }
        guard let format = EventBatch.Format(contentType: request.headers[.contentType]) else {
            return APIAnswer.error("send application/json (an event or an array of them) or application/x-ndjson", status: .unsupportedMediaType)
        }
        let tooLarge = APIAnswer.error("the body is larger than \(EventBatch.maxBytes) bytes", status: .contentTooLarge)
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > EventBatch.maxBytes { return tooLarge }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: EventBatch.maxBytes)
        } catch {
            return tooLarge
        }
        let batch: EventBatch
        do {
            batch = try EventBatch(Data(body.readableBytesView), format: format, source: source)
        } catch let refusal as EventBatch.Refusal {
            return APIAnswer.error(refusal.message, status: refusal.tooLarge ? .contentTooLarge : .badRequest)
        }
        let intake = EventIntake(store: store, lifecycle: lifecycle, source: source)
        let answer = try await Blocking.run { try Self.ingest(batch, through: intake, source: source, at: Date()) }
        return try APIAnswer.json(answer)
    }

    /// Each item through the intake on its own, so that its result is its own: one that is refused
    /// or already known never hides what became of the others.
    static func ingest(_ batch: EventBatch, through intake: EventIntake, source: String, at now: Date) throws -> Answer {
        var answer = Answer(source: source)
        for item in batch.items {
            var outcome = Outcome(status: .rejected)
            switch batch.format {
            case .json: outcome.index = item.position
            case .ndjson: outcome.line = item.position
            }
            if let line = item.line {
                let read = EventLog.intake(text: line, name: "request.ndjson")
                let warnings = read.diagnostics.sorted.filter { $0.severity == .warning }.map(\.message)
                outcome.warnings = warnings.isEmpty ? nil : warnings
                if let problem = read.diagnostics.errors.first {
                    outcome.error = problem.message
                } else if read.rows.count + read.actions.count != 1 {
                    outcome.error = "not an event"
                } else {
                    let result = try intake.ingest(read, at: now)
                    if let refused = result.refused.first {
                        outcome.error = refused.problem
                    } else {
                        outcome.status = result.added > 0 ? .accepted : .duplicate
                    }
                }
            } else {
                outcome.error = item.problem
            }
            switch outcome.status {
            case .accepted: answer.accepted += 1
            case .duplicate: answer.duplicates += 1
            case .rejected: answer.rejected += 1
            }
            answer.results.append(outcome)
        }
        return answer
    }
}
