import Dispatch
import Hummingbird

/// Counts every answered request by route, method and status, and times it.
///
/// Hummingbird's own metrics middleware reports to the process-wide metrics system; this one
/// reports to the service's registry, so two services in one process (as in tests) stay apart.
struct RequestMetricsMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let metrics: ServiceMetrics

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        let status: Int
        do {
            let response = try await next(request, context)
            status = Int(response.status.code)
            record(request, context, status, start)
            return response
        } catch {
            status = Int((error as? any HTTPResponseError)?.status.code ?? 500)
            record(request, context, status, start)
            throw error
        }
    }

    private func record(_ request: Request, _ context: WebContext, _ status: Int, _ start: UInt64) {
        metrics.recordRequest(
            route: RequestRoute.name(context), method: request.method.rawValue, status: status,
            nanoseconds: DispatchTime.now().uptimeNanoseconds - start)
    }
}

/// What logs and metrics call a request: the pattern of the route that answered it, which names
/// no token, id or address. Hummingbird names a path that matched no route `NotFound`.
enum RequestRoute {
    static func name(_ context: WebContext) -> String { context.endpointPath ?? "NotFound" }
}
