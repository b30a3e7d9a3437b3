import Foundation
import Hummingbird
import NurtureCore
import NurtureDefinitions
import NurtureOperations
import NurtureStore

/// A rep's nurture requests over the API, through `RequestDesk` as `nurture request` makes them:
///
/// - `GET /api/requests`: mine, with what became of each;
/// - `POST /api/requests` with `{"lead": ..., "sequence": ..., "note": ..., "until": ...}`: asks for
///   one of my leads to be nurtured. A lead that belongs to another rep is 404, as if it did not
///   exist (the API never takes a lead over, nor names its rep); a lead without an owner becomes
///   the caller's, as with the command.
struct RequestAPIRoutes: Sendable {
    let store: any WebStore
    /// The sequences and the lifecycle the desk checks against; without them the POST answers 503.
    let definitions: DefinitionSet?

    static let maxLeadLength = 320
    static let maxSequenceLength = 200
    static let maxNoteLength = 2_000

    func add(to router: Router<WebContext>) {
        let group = router.group("api/requests")
            .add(middleware: BearerTokenAuthenticator(store: store))
            .add(middleware: CallerRequirement(kind: .rep))
        group.get { _, context in try await APIRefusal.answering { try await list(context) } }
        group.post { request, context in try await APIRefusal.answering { try await create(request, context: context) } }
    }

    struct Listing: Encodable, Sendable {
        var requests: [NurtureRequest]
    }

    func list(_ context: WebContext) async throws -> Response {
        let rep = try HandOffAPIRoutes.rep(context)
        let store = store
        let requests = try await Blocking.run { try store.requests(leadID: nil, repEmail: rep, since: nil, until: nil) }
        return try APIAnswer.json(Listing(requests: requests))
    }

    func create(_ request: Request, context: WebContext) async throws -> Response {
        let rep = try HandOffAPIRoutes.rep(context)
        guard let definitions else {
            throw APIRefusal("the service runs without --definitions; the rep API needs lifecycle.yml", .serviceUnavailable)
        }
        let fields = try await JSONFields.read(request)
        let lead = try fields.string("lead", required: true, maxLength: Self.maxLeadLength) ?? ""
        let sequence = try fields.string("sequence", required: true, maxLength: Self.maxSequenceLength) ?? ""
        let note = try fields.string("note", required: false, maxLength: Self.maxNoteLength)
        let now = Date()
        let until = try fields.string("until", required: false, maxLength: 40).map { (text: String) throws -> Date in
            guard let date = Timestamp.parse(text) else { throw APIRefusal("'until' must be an ISO 8601 time, e.g. 2026-09-01T00:00:00Z", .badRequest) }
            guard date > now else { throw APIRefusal("'until' must be in the future", .badRequest) }
            return date
        }
        guard definitions.sequences[sequence] != nil else { throw APIRefusal("'sequence' names no sequence: '\(sequence)'", .badRequest) }
        let store = store
        let made = try await Blocking.run {
            // Another rep's lead does not exist for this rep.
            guard let leadID = try store.leadID(for: lead), let (stored, _) = try store.lead(leadID),
                  stored.owner.map({ $0.email.lowercased() == rep }) ?? true
            else { throw APIRefusal("no lead '\(lead)'", .notFound) }
            do {
                return try RequestDesk(store: store, definitions: definitions).request(
                    sequence, lead: leadID, repEmail: rep, note: note, until: until, reassign: false, at: now)
            } catch let refusal as OperationError {
                throw APIRefusal(refusal.description, .conflict)
            }
        }
        return try APIAnswer.json(made, status: .created)
    }
}
