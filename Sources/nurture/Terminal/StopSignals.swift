import Dispatch
import Foundation
import Synchronization

/// SIGTERM and SIGINT as a request for a clean stop, taken from the moment `nurture run` or
/// `nurture serve` starts. Opening the store can take a while (connecting to PostgreSQL,
/// migrating); a signal that arrives then is kept and passed on once there is something to stop,
/// so the process still ends cleanly instead of dying half-way through its start.
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

    /// From now on a signal calls `stop`; one that came earlier calls it at once (a scheduler
    /// stopped before it runs returns without a pass; a service group, without serving).
    func forward(_ stop: @escaping @Sendable () -> Void) { request.forward(stop) }

    private final class Request: Sendable {
        private let state = Mutex<(requested: Bool, stop: (@Sendable () -> Void)?)>((false, nil))

        func stop() {
            state.withLock { state in
                state.requested = true
                state.stop?()
            }
        }

        func forward(_ stop: @escaping @Sendable () -> Void) {
            state.withLock { state in
                state.stop = stop
                if state.requested { stop() }
            }
        }
    }
}
