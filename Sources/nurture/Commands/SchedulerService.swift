import NurtureScheduler
import ServiceLifecycle

/// The scheduler as a service of `serve --with-scheduler`: it runs beside the web service, and on
/// SIGTERM or SIGINT it finishes the pass in progress, sends included, before the process exits.
struct SchedulerService: Service {
    let scheduler: Scheduler

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await scheduler.run()
        } onGracefulShutdown: {
            scheduler.stop()
        }
    }
}
