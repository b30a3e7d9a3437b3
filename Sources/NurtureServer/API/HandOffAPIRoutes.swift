import Foundation
import Hummingbird
import NurtureCore
import NurtureOperations
import NurtureStore

/// A rep's hand-offs over the API, with the pages' rule: a rep sees and answers only their own.
/// Any other id, another rep's included, is 404, and the answer says nothing of it. Every answer
/// goes through `HandOffDesk` with the rep's email, so the desk checks ownership again.
///
/// - `GET /api/handoffs`: my open hand-offs, with their engagement summary and answer deadline;
/// - `GET /api/handoffs/:id`: one of mine, whatever its status;
/// - `POST /api/handoffs/:id/accept`, `/reject` (`{"reason": "not-ready"}`), `/touch`.
///
/// A transition the desk refuses (already answered, a touch before an accept, a stage the
/// lifecycle has no move from) is 409 with the desk's reason, and changes nothing.
struct HandOffAPIRoutes: Sendable {
    let store: any WebStore
    /// The lifecycle the answers are checked against; without it the routes answer 503.
    let lifecycle: Lifecycle?

    /// The longest reason read: the lifecycle's reasons are short words.
    static let maxReasonLength = 64

    func add(to router: Router<WebContext>) {
        let group = router.group("api/handoffs")
            .add(middleware: BearerTokenAuthenticator(store: store))
            .add(middleware: CallerRequirement(kind: .rep))
        group.get { _, context in try await APIRefusal.answering { try await list(context) } }
        group.get(":id") { _, context in
            try await APIRefusal.answering { try await act(context) { desk, id, rep, _ in try desk.handOff(id, repEmail: rep) } }
        }
        group.post(":id/accept") { _, context in
            try await APIRefusal.answering { try await act(context) { desk, id, rep, now in try desk.accept(id, repEmail: rep, at: now) } }
        }
        group.post(":id/touch") { _, context in
            try await APIRefusal.answering { try await act(context) { desk, id, rep, now in try desk.touch(id, repEmail: rep, at: now) } }
        }
        group.post(":id/reject") { request, context in
            try await APIRefusal.answering {
                let reason = try await JSONFields.read(request).string("reason", required: true, maxLength: Self.maxReasonLength) ?? ""
                return try await act(context) { desk, id, rep, now in
                    // Checked here, after the hand-off was found to be the rep's: only then is a bad reason worth naming.
                    let known = Set(desk.lifecycle.repActions.filter { $0.verb == "reject" }.compactMap(\.reason)).sorted()
                    guard known.contains(reason) else {
                        throw APIRefusal("'reason' must be one of \(known.joined(separator: ", "))", .badRequest)
                    }
                    return try desk.reject(id, reason: reason, repEmail: rep, at: now)
                }
            }
        }
    }

    struct Listing: Encodable, Sendable {
        var handoffs: [HandOffRecord]
    }

    func list(_ context: WebContext) async throws -> Response {
        let rep = try Self.rep(context)
        let store = store
        let now = Date()
        let records = try await Blocking.run { try store.handOffs(HandOffFilter(repEmail: rep, status: .open), now: now) }
        return try APIAnswer.json(Listing(handoffs: records))
    }

    /// Finds the hand-off as the rep's own (404 otherwise), then runs `body` on it; the desk's
    /// refusal is 409.
    func act(
        _ context: WebContext, _ body: @escaping @Sendable (HandOffDesk, Int64, String, Date) throws -> HandOffRecord
    ) async throws -> Response {
        let rep = try Self.rep(context)
        guard let lifecycle else { throw APIRefusal("the service runs without --definitions; the rep API needs lifecycle.yml", .serviceUnavailable) }
        guard let id = context.parameters.get("id", as: Int64.self), id > 0 else { throw APIRefusal("no such hand-off", .notFound) }
        let desk = HandOffDesk(store: store, lifecycle: lifecycle)
        let record = try await Blocking.run {
            do {
                _ = try desk.handOff(id, repEmail: rep)
            } catch is OperationError {
                throw APIRefusal("no hand-off \(id)", .notFound)
            }
            do {
                return try body(desk, id, rep, Date())
            } catch let refusal as OperationError {
                throw APIRefusal(refusal.description, .conflict)
            }
        }
        return try APIAnswer.json(record)
    }

    /// The rep calling, as `CallerRequirement` let through.
    static func rep(_ context: WebContext) throws -> String {
        guard case let .rep(email) = context.identity else { throw APIRefusal("", .unauthorized) }
        return email
    }
}
