import Foundation
import Hummingbird
import NurtureCore
import NurtureOperations
import NurtureStore
import NurtureTokens

/// A rep's own pages under `/rep`: their open hand-offs with each engagement summary and due
/// time, answering them (accept, reject with one of the lifecycle's reasons, the first touch),
/// asking for a nurture for one of their leads, their requests, and their service levels.
///
/// Every hand-off and lead is looked up as the caller's: another rep's, or one that does not
/// exist, gets the same 404, and nothing changes. Answers go through `HandOffDesk` and requests
/// through `RequestDesk`, as on the command line. Every post carries the session's CSRF token.
struct RepRoutes: Sendable {
    let store: any WebStore
    let settings: RepPagesSettings
    /// Most hand-offs or requests one list shows.
    static let listLimit = 200

    var lifecycle: Lifecycle { settings.definitions.lifecycle }

    func add(to group: RouterGroup<WebContext>) {
        group.get { request, context in try await home(request, context) }
        group.get("handoffs/:id") { request, context in try await detail(request, context) }
        group.post("handoffs/:id/accept") { request, context in try await answer(request, context, .accept) }
        group.post("handoffs/:id/reject") { request, context in try await answer(request, context, .reject) }
        group.post("handoffs/:id/touch") { request, context in try await answer(request, context, .touch) }
        group.post("requests") { request, context in try await requestNurture(request, context) }
        group.get("sla") { request, context in try await serviceLevels(request, context) }
    }

    // MARK: Who is asking

    /// The signed-in rep: no session is sent to sign in (a post is refused, 403), and anyone else
    /// signed in (an operator) finds nothing here.
    func rep(_ request: Request, _ context: WebContext) throws -> (email: String, header: PageLayout.Header) {
        guard let caller = context.identity, let secret = SessionCookie.secret(in: request) else {
            if request.method == .post { throw PageRefusal.forbidden }
            throw SignInFirst()
        }
        guard case let .rep(email) = caller else { throw PageRefusal.notFound }
        return (email, PageLayout.Header(email: email, csrf: secret.csrfToken, isOperator: false))
    }

    /// The hand-off in the path, which must be the caller's.
    func ownHandOff(_ context: WebContext, email: String) async throws -> HandOffRecord {
        guard let id = context.parameters.get("id", as: Int64.self), id > 0 else { throw PageRefusal.notFound }
        let store = store
        guard let record = try await Blocking.run({ try store.handOff(id) }), record.repEmail?.lowercased() == email else {
            throw PageRefusal.notFound
        }
        return record
    }

    // MARK: Pages

    func home(_ request: Request, _ context: WebContext) async throws -> Response {
        let (email, header) = try rep(request, context)
        let store = store, now = Date()
        let (open, accepted, requests) = try await Blocking.run {
            let open = try store.handOffs(HandOffFilter(repEmail: email, status: .open, limit: Self.listLimit), now: now)
            let accepted = try store.handOffs(HandOffFilter(repEmail: email, status: .accepted, limit: Self.listLimit), now: now)
                .filter { $0.touchedAt == nil }
            let requests = try store.requests(leadID: nil, repEmail: email, since: nil, until: nil).suffix(Self.listLimit).reversed()
                .map { request in (request, try store.lead(request.leadID)?.0.email ?? request.leadID) }
            return (open, accepted, requests)
        }
        let context: [String: Any] = [
            "csrf": header.csrf, "reasons": NoticeContent.rejectReasons(lifecycle),
            "open": open.map { card($0, now: now) }, "accepted": accepted.map { card($0, now: now) },
            "sequences": requestableSequences.map { ["id": $0.id, "name": $0.name] },
            "hasRequests": !requests.isEmpty,
            "requests": requests.map { request, lead in
                ["id": String(request.id), "lead": lead, "sequence": request.sequence, "asked": local(request.createdAt),
                 "outcome": Self.outcome(request.status)]
            },
        ]
        return PageLayout.response(title: "Your hand-offs", body: PageTemplates.render("rep", context), header: header)
    }

    func detail(_ request: Request, _ context: WebContext) async throws -> Response {
        let (email, header) = try rep(request, context)
        let record = try await ownHandOff(context, email: email)
        var values = card(record, now: Date())
        values["csrf"] = header.csrf
        values["reasons"] = NoticeContent.rejectReasons(lifecycle)
        return PageLayout.response(title: "Hand-off #\(record.id)", body: PageTemplates.render("handoff", values), header: header)
    }

    /// One hand-off as the templates show it.
    func card(_ record: HandOffRecord, now: Date) -> [String: Any] {
        let open = record.status == .open
        var values: [String: Any] = [
            "id": String(record.id), "lead": record.leadEmail, "reason": record.reason, "score": String(Int(record.score.rounded())),
            "grade": record.grade, "dueLabel": open ? "Answer by" : "First touch by",
            "due": (open ? record.due : record.touchDue).map(local) ?? "no deadline set",
            "overdue": open ? record.isOverdue(at: now) : (record.touchDue.map { $0 < now } ?? false),
            "summary": SummaryText.lines(record.summary).joined(separator: "\n"),
            "isOpen": open, "canTouch": record.status == .accepted && record.touchedAt == nil,
        ]
        if let answer = record.answer { values["answer"] = answer }
        return values
    }

    func local(_ date: Date) -> String { EngagementSummary.local(date, in: lifecycle.businessHours.timeZone) }

    /// Sequences a rep may ask for: those sent in the lead's owner's name (`sender: owner`).
    var requestableSequences: [NurtureSequence] {
        settings.definitions.sequences.values.filter { $0.sender == .owner }.sorted { $0.id < $1.id }
    }

    static func outcome(_ status: NurtureRequest.Status) -> String {
        switch status {
        case .open: "running"
        case .handedBack: "handed back to you: waiting for your answer"
        case .used: "used: you followed up in time"
        case .late: "used, but the first touch came late"
        case .unused: "not used"
        case .abandoned: "cancelled"
        }
    }

    // MARK: Answers

    enum Answer { case accept, reject, touch }

    func answer(_ request: Request, _ context: WebContext, _ answer: Answer) async throws -> Response {
        let (email, _) = try rep(request, context)
        let form = try await FormPost.read(request)
        let record = try await ownHandOff(context, email: email)
        let reasons = NoticeContent.rejectReasons(lifecycle)
        if answer == .reject, !(form.reason.map(reasons.contains) ?? false) {
            throw PageRefusal(status: .badRequest, title: "Choose a reason", message: "Reject with one of the reasons: \(reasons.joined(separator: ", ")).")
        }
        let desk = HandOffDesk(store: store, lifecycle: lifecycle), id = record.id, reason = form.reason ?? ""
        try await refusing {
            _ = try await Blocking.run {
                switch answer {
                case .accept: try desk.accept(id, repEmail: email, at: Date())
                case .reject: try desk.reject(id, reason: reason, repEmail: email, at: Date())
                case .touch: try desk.touch(id, repEmail: email, at: Date())
                }
            }
        }
        return PageLayout.redirect(to: "/rep")
    }

    func requestNurture(_ request: Request, _ context: WebContext) async throws -> Response {
        let (email, _) = try rep(request, context)
        let form = try await FormPost.read(request)
        let reference = (form.lead ?? "").trimmingCharacters(in: .whitespaces)
        guard (1...320).contains(reference.count) else {
            throw PageRefusal(status: .badRequest, title: "Which lead?", message: "Give the lead's email address or id.")
        }
        guard let sequence = form.sequence, requestableSequences.contains(where: { $0.id == sequence }) else {
            throw PageRefusal(
                status: .badRequest, title: "Which sequence?",
                message: "Choose one of \(requestableSequences.map(\.id).joined(separator: ", ")).")
        }
        let store = store
        // Only the caller's own leads: a lead of another rep, or none, is not found.
        let leadID = try await Blocking.run { () -> String? in
            guard let id = try store.leadID(for: reference), let (lead, _) = try store.lead(id),
                  lead.owner?.email.lowercased() == email
            else { return nil }
            return id
        }
        guard let leadID else { throw PageRefusal.notFound }
        let note = form.note.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        let desk = RequestDesk(store: store, definitions: settings.definitions)
        try await refusing {
            _ = try await Blocking.run {
                try desk.request(sequence, lead: leadID, repEmail: email, note: note, until: nil, reassign: false, at: Date())
            }
        }
        return PageLayout.redirect(to: "/rep")
    }

    /// Runs a use case; its refusal (a lead in the wrong stage, a hand-off answered already) is
    /// answered 422 with its reason, and nothing was changed.
    func refusing(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as OperationError {
            throw PageRefusal(status: .unprocessableContent, title: "Not done", message: error.description)
        }
    }

    // MARK: Service levels

    func serviceLevels(_ request: Request, _ context: WebContext) async throws -> Response {
        let (email, header) = try rep(request, context)
        let store = store, now = Date(), since = now.addingTimeInterval(-7 * 86_400), lifecycle = lifecycle
        let ledger = try await Blocking.run {
            SLALedger(
                handOffs: try store.handOffs(HandOffFilter(repEmail: email, since: since, until: now), now: now),
                requests: try store.requests(leadID: nil, repEmail: email, since: since, until: now),
                lifecycle: lifecycle, since: since, until: now, now: now)
        }
        let handOffs = try await Blocking.run {
            try store.handOffs(HandOffFilter(repEmail: email, since: since, until: now, limit: Self.listLimit), now: now)
        }
        func percent(_ share: Double?) -> String { share.map { "\(Int(($0 * 100).rounded()))%" } ?? "-" }
        var values: [String: Any] = [
            "since": local(since), "until": local(now), "version": String(ledger.definitionsVersion),
            "hasHandOffs": !handOffs.isEmpty,
            "handOffs": handOffs.map { record in
                ["id": String(record.id), "lead": record.leadEmail, "at": local(record.at), "status": record.status.rawValue,
                 "answer": record.answer ?? ""]
            },
            "hasBreaches": !ledger.breaches.isEmpty,
            "breaches": ledger.breaches.map { breach in
                ["id": String(breach.handOff), "lead": breach.lead, "promise": breach.promise, "due": local(breach.due),
                 "kept": breach.keptAt.map { "late, at \(local($0))" } ?? "not kept"]
            },
        ]
        if let row = ledger.reps.first {
            values["row"] = [
                "handOffs": String(row.handOffs), "accepted": String(row.accepted), "rejected": String(row.rejected),
                "expired": String(row.expired), "expiredAny": row.expired > 0, "open": String(row.open),
                "answeredInTime": percent(row.answeredInTimeShare), "touchedInTime": percent(row.touchedInTimeShare),
            ] as [String: Any]
        }
        if let requests = ledger.requests.first {
            values["requests"] = [
                "requested": String(requests.requested), "open": String(requests.open), "used": String(requests.used),
                "late": String(requests.late), "unused": String(requests.unused), "abandoned": String(requests.abandoned),
            ]
        }
        return PageLayout.response(title: "Your service levels", body: PageTemplates.render("sla", values), header: header)
    }
}
