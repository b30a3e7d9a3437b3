/// Everything the web service asks of a store: the sales loop, and the records its own features
/// keep. A PostgreSQL store that implements these serves the same routes.
public typealias WebStore = SalesLoopStore & RepSessionStore & APITokenStore & TrackingStore
