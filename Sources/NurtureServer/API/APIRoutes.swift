import Hummingbird
import NurtureCore
import NurtureStore

/// The JSON API under `/api`, each route group behind the bearer-token authenticator: event intake
/// for sources, hand-offs and requests for reps. See docs/web-api.md.
struct APIRoutes: Sendable {
    let store: any WebStore
    let definitions: DefinitionSet?

    func add(to router: Router<WebContext>) {
        EventAPIRoutes(store: store, lifecycle: definitions?.lifecycle).add(to: router)
        HandOffAPIRoutes(store: store, lifecycle: definitions?.lifecycle).add(to: router)
        RequestAPIRoutes(store: store, definitions: definitions).add(to: router)
    }
}
