import Hummingbird

/// In front of a group of API routes: an unknown caller gets 401, and a caller of the other kind
/// (a rep's token on the event intake, a source's on the rep routes) gets 403.
struct CallerRequirement: RouterMiddleware {
    typealias Context = WebContext

    enum Kind: String {
        case source, rep
    }

    let kind: Kind

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        switch (context.identity, kind) {
        case (nil, _):
            return APIAnswer.unauthorized
        case (.source?, .source), (.rep?, .rep):
            return try await next(request, context)
        default:
            return APIAnswer.error("this route takes a \(kind.rawValue) token", status: .forbidden)
        }
    }
}
