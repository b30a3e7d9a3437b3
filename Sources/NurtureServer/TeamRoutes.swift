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
        group.get { _, context in try await ledger(context) }
    }

    func ledger(_ context: WebContext) async throws -> Response {
        guard let caller = context.identity else { throw SignInFirst() }
        guard case .marketingOps = caller else { throw PageRefusal.notFound }
        let store = store, now = Date(), since = now.addingTimeInterval(-7 * 86_400), lifecycle = settings.definitions.lifecycle
        let ledger = try await offServerThreads {
            SLALedger(
                handOffs: try store.handOffs(HandOffFilter(since: since, until: now), now: now),
                requests: try store.requests(leadID: nil, repEmail: nil, since: since, until: now),
                lifecycle: lifecycle, since: since, until: now, now: now)
        }
        return PageLayout.html(ledger.html)
    }
}
