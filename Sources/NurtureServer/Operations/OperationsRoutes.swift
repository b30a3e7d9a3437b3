import Foundation
import Hummingbird
import NurtureStore

/// What an operator's monitoring reads: `/healthz` for the load balancer, `/metrics` for
/// Prometheus. Neither needs a login, and neither shows a lead, an address or a token: put
/// `/metrics` behind the front end's access rules all the same, since it shows volumes.
struct OperationsRoutes: Sendable {
    let store: any WebStore
    let metrics: ServiceMetrics

    func add(to router: Router<WebContext>) {
        router.get("/healthz") { _, _ in try await health() }
        router.get("/metrics") { _, _ in try await scrape() }
    }

    /// 200 when the store answers a read.
    func health() async throws -> Response {
        let store = store
        _ = try await Blocking.run { try store.nextDue() }
        return Page.text("ok\n")
    }

    func scrape() async throws -> Response {
        let store = store, metrics = metrics
        let text = try await Blocking.run { try metrics.scrape(store, now: Date()) }
        return Page.response(text, type: "text/plain; version=0.0.4; charset=utf-8", status: .ok)
    }
}
