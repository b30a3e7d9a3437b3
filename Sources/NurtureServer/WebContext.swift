import Hummingbird
import HummingbirdAuth

/// Who is calling: set by the authenticators in front of the routes that need one, and read by
/// those routes to decide what the caller may see. Every route group shares this context.
public enum Caller: Sendable, Equatable {
    /// A rep, signed in to the pages by a one-time link, or calling the API with a rep token.
    case rep(email: String)
    /// A marketing operator listed under `operators:` in lifecycle.yml, signed in to the team pages.
    case marketingOps(email: String)
    /// A system that sends events (a CRM, a form tool), by its bearer token.
    case source(name: String)
}

/// The request context of every route: Hummingbird's core storage plus the caller, if known.
public struct WebContext: AuthRequestContext, RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: Caller?

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.identity = nil
    }
}
