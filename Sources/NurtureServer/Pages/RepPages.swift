import NurtureMail
import Foundation
import Hummingbird
import NurtureCore
import NurtureStore

/// What the rep and team pages need beyond the store: the definitions (who may sign in, the
/// lifecycle the answers follow, the sequences a rep may request) and whether cookies must be
/// `Secure` (the public address is https).
public struct RepPagesSettings: Sendable {
    public var definitions: DefinitionSet
    public var secureCookies: Bool

    /// A sign-in link works once, for 30 minutes.
    public static let linkLifetime: TimeInterval = 30 * 60
    /// A session lasts 12 hours from sign-in, then the rep asks for a new link.
    public static let sessionLifetime: TimeInterval = 12 * 3600

    public init(definitions: DefinitionSet, publicURL: PublicURL) {
        self.definitions = definitions
        secureCookies = publicURL.isHTTPS
    }

    /// Who an address is on the pages: an operator, a rep (the default owner counts), or nobody.
    func caller(email: String) -> Caller? {
        let lifecycle = definitions.lifecycle
        if lifecycle.operator(email: email) != nil { return .marketingOps(email: email.lowercased()) }
        if lifecycle.rep(email: email) != nil { return .rep(email: email.lowercased()) }
        return nil
    }
}

/// The pages behind a sign-in: the sign-in routes, the rep's own pages and the team page, with
/// the session authenticator in front of those that need a caller.
struct RepPages: Sendable {
    let store: any WebStore
    let settings: RepPagesSettings

    func add(to router: Router<WebContext>) {
        let authenticator = SessionAuthenticator(store: store, settings: settings)
        SignInRoutes(store: store, settings: settings).add(to: router, authenticator: authenticator)
        RepRoutes(store: store, settings: settings).add(to: router.group("rep").add(middleware: authenticator))
        TeamRoutes(store: store, settings: settings).add(to: router.group("team").add(middleware: authenticator))
    }
}
