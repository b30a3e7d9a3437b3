import Foundation
import Hummingbird
import NurtureOperations
import NurtureStore

/// `GET /team`: the whole team's service levels for the last 7 days, the page `nurture sla
/// --format html` writes, for marketing operators (`operators:` in lifecycle.yml) only. A rep
/// finds nothing here (404); without a session the caller is sent to sign in.
struct TeamRoutes: Sendable {
    let store: any WebStore
    let settings: RepPagesSettings

    func add(to group: RouterGroup<WebContext>) {
        group.get { request, context in try await ledger(request, context) }
    }

    func ledger(_ request: Request, _ context: WebContext) async throws -> Response {
        guard let caller = context.identity, let secret = SessionCookie.secret(in: request) else { throw SignInFirst() }
        guard case let .marketingOps(email) = caller else { throw PageRefusal.notFound }
        let store = store, now = Date(), since = now.addingTimeInterval(-7 * 86_400), lifecycle = settings.definitions.lifecycle
        let ledger = try await Blocking.run {
            SLALedger(
                handOffs: try store.handOffs(HandOffFilter(since: since, until: now), now: now),
                requests: try store.requests(leadID: nil, repEmail: nil, since: since, until: now),
                lifecycle: lifecycle, since: since, until: now, now: now)
        }
        // The report's own page, with who is signed in and a way out at its top.
        var page = ledger.html
        if let body = page.range(of: "<body>") {
            page.insert(contentsOf: """
                <form method="post" action="/signout" style="text-align:right;font-size:.9rem">Signed in as \(Page.escape(email)) \
                <input type="hidden" name="csrf" value="\(secret.csrfToken)"><button>Sign out</button></form>
                """, at: body.upperBound)
        }
        return PageLayout.html(page)
    }
}
