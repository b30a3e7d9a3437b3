import Foundation
import Hummingbird
import NurtureStore
import NurtureTokens

/// The web service: what the links in Nurture's emails point at. Built as a router so that tests
/// can drive it in process, and run as a Hummingbird application by `nurture serve`.
public struct WebService: Sendable {
    public let store: any WebStore
    public let keyring: Keyring
    /// Bodies larger than this are refused (413) before they are read further.
    public static let maxBodyBytes = 64 * 1024

    public init(store: any WebStore, keyring: Keyring) {
        self.store = store
        self.keyring = keyring
    }

    public func router() -> Router<WebContext> {
        let router = Router(context: WebContext.self)
        router.get("/healthz") { _, _ in try health() }
        UnsubscribeRoutes(store: store, keyring: keyring).add(to: router)
        TrackingRoutes(store: store, keyring: keyring).add(to: router)
        return router
    }

    /// 200 when the store answers a read.
    func health() throws -> Response {
        _ = try store.nextDue()
        return Page.text("ok\n")
    }

    /// The application listening on `host:port`.
    public func application(host: String, port: Int) -> some ApplicationProtocol {
        Application(router: router(), configuration: .init(address: .hostname(host, port: port), serverName: "Nurture"))
    }
}
