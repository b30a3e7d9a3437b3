import Foundation
import Metrics
import NurtureStore
import Prometheus

/// The figures `/metrics` serves in Prometheus's text format.
///
/// Two kinds: HTTP requests, counted by the middleware as they happen in this process; and the
/// state of the work (sends by result, queue depth, the age of the oldest due send, hand-offs open
/// and overdue, open requests), read from the store at each scrape, because the scheduler that
/// changes it may run in another process. Each service has its own registry, so nothing here is
/// process-global.
public final class ServiceMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let factory: PrometheusMetricsFactory

    public init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        // Latency buckets for pages and redirects: 1 ms to 5 s.
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5),
        ]
        self.factory = factory
    }

    /// One answered request: `route` is the route's pattern (`/t/c/:token`), never the path.
    func recordRequest(route: String, method: String, status: Int, nanoseconds: UInt64) {
        let dimensions = [("route", route), ("method", method), ("status", String(status))]
        Metrics.Counter(label: "nurture_http_requests_total", dimensions: dimensions, factory: factory).increment()
        Metrics.Timer(label: "nurture_http_request_duration_seconds", dimensions: [("route", route)], factory: factory)
            .recordNanoseconds(Int64(clamping: nanoseconds))
    }

    /// The store's figures as of `now`, then everything in the text format.
    func scrape(_ store: any WebStore, now: Date) throws -> String {
        let status = try store.status(now: now, dayStart: now)
        for (result, count) in status.sends {
            gauge("nurture_sends", [("result", result)]).record(count)
        }
        gauge("nurture_queue_depth").record(status.queued)
        gauge("nurture_sends_due").record(status.dueNow)
        gauge("nurture_oldest_due_send_age_seconds").record(status.oldestOverdue.map { max(0, now.timeIntervalSince($0)) } ?? 0)
        gauge("nurture_handoffs_open").record(status.openHandOffs)
        gauge("nurture_handoffs_overdue").record(status.overdueHandOffs)
        gauge("nurture_requests_open").record(status.openRequests)
        gauge("nurture_notices_undelivered").record(status.undeliveredNotices)
        gauge("nurture_suppressed").record(status.suppressed)
        return registry.emitToString()
    }

    private func gauge(_ label: String, _ dimensions: [(String, String)] = []) -> Metrics.Gauge {
        Metrics.Gauge(label: label, dimensions: dimensions, factory: factory)
    }
}
