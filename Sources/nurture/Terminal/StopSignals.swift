import Dispatch
import Foundation
import NurtureScheduler
import Synchronization

/// SIGTERM and SIGINT as a request for a clean stop, taken from the moment `nurture run` starts.
/// Opening the store can take a while (connecting to PostgreSQL, migrating); a signal that
/// arrives then is kept and passed on once the scheduler exists, so the process still finishes
/// cleanly instead of dying half-way through its start.
struct StopSignals {
    private let request = Request()
    private let sources: [DispatchSourceSignal]

    init() {
        let request = request
        sources = [SIGTERM, SIGINT].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { request.stop() }
            source.resume()
            return source
        }
    }

    /// Gives the signals back (the process ignores them from then on).
    func cancel() { sources.forEach { $0.cancel() } }

    /// From now on a signal stops `scheduler`; one that came earlier stops it at once, so that its
    /// `run()` returns without a pass.
    func forward(to scheduler: Scheduler) { request.forward(to: scheduler) }

    private final class Request: Sendable {
        private let state = Mutex<(requested: Bool, scheduler: Scheduler?)>((false, nil))

        func stop() {
            state.withLock { state in
                state.requested = true
                state.scheduler?.stop()
            }
        }

        func forward(to scheduler: Scheduler) {
            state.withLock { state in
                state.scheduler = scheduler
                if state.requested { scheduler.stop() }
            }
        }
    }
}
