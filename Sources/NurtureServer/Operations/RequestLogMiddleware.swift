import Dispatch
import Hummingbird
import Logging

/// One structured log line per request: method, route pattern, status and duration.
///
/// The path and query are never logged: tokens travel in both (`/t/c/TOKEN`, `?t=TOKEN`), and so
/// do lead ids. Neither are headers (cookies, bearer tokens) nor the client's address.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = WebContext

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        do {
            let response = try await next(request, context)
            log(request, context, status: Int(response.status.code), start)
            return response
        } catch {
            log(request, context, status: Int((error as? any HTTPResponseError)?.status.code ?? 500), start)
            throw error
        }
    }

    private func log(_ request: Request, _ context: WebContext, status: Int, _ start: UInt64) {
        let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
        context.logger.info("request", metadata: [
            "method": .string(request.method.rawValue),
            "route": .string(RequestRoute.name(context)),
            "status": .stringConvertible(status),
            "ms": .string(String(format: "%.2f", milliseconds)),
        ])
    }
}
