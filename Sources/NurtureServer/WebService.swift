import Foundation
import Hummingbird
import Logging
import NurtureCore
import NurtureStore
import NurtureTokens

/// The web service: what the links in Nurture's emails point at, and what operators monitor.
/// Built as a router so that tests can drive it in process, and run as a Hummingbird application
/// by `nurture serve`.
public struct WebService: Sendable {
    public let store: any WebStore
    public let keyring: Keyring
    public let metrics: ServiceMetrics
    /// The rep and team pages, when the service runs with the definitions that say who may sign in.
    public var repPages: RepPagesSettings?
    /// The definitions the API checks rep actions, answers and requests against; nil when the
    /// service was started without them.
    public var definitions: DefinitionSet?
    /// The service's clock: when events, unsubscribes and answers are recorded. Tests fix it.
    public var now: @Sendable () -> Date = { Date() }
    /// Bodies larger than this are refused (413) before they are read further.
    public static let maxBodyBytes = 64 * 1024

    public init(store: any WebStore, keyring: Keyring, metrics: ServiceMetrics = ServiceMetrics(), repPages: RepPagesSettings? = nil) {
        self.store = store
        self.keyring = keyring
        self.metrics = metrics
        self.repPages = repPages
    }

    public func router() -> Router<WebContext> {
        let router = Router(context: WebContext.self)
        router.add(middleware: RequestLogMiddleware())
        router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
        OperationsRoutes(store: store, metrics: metrics).add(to: router)
        UnsubscribeRoutes(store: store, keyring: keyring).add(to: router)
        if let repPages { RepPages(store: store, settings: repPages).add(to: router) }
        APIRoutes(store: store, definitions: definitions).add(to: router)
        TrackingRoutes(store: store, keyring: keyring, now: now).add(to: router)
        return router
    }

    /// The application listening on `host:port`, logging one line per request to `logger`.
    public func application(host: String, port: Int, logger: Logger) -> some ApplicationProtocol {
        Application(router: router(), configuration: .init(address: .hostname(host, port: port), serverName: "Nurture"), logger: logger)
    }
}
