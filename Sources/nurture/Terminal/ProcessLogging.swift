import Logging

/// Log lines go to standard error, with their metadata as key=value. swift-log takes this choice
/// once per process; `serve --with-scheduler` reaches it from both the service and the scheduler.
enum ProcessLogging {
    private static let started: Void = LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }

    static func start() { _ = started }
}
