import Foundation
import NurtureTestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One life of a `nurture run` process ended by SIGKILL at a random moment after its scheduler
/// started, for the crash tests: what the relay had received before and at the kill, and whether
/// the process was still running (not exited on its own) when the kill landed.
struct RandomKill {
    let delay: Int
    let arrivedBefore: Int
    let arrivedAtKill: Int
    let wasRunning: Bool
    let signalled: Bool
    /// Sends its passes put back in the queue from expired leases.
    let rescued: Int

    var landedWhileDelivering: Bool { arrivedAtKill > arrivedBefore }

    /// Waits for `child`'s scheduler to start, lets it work for `milliseconds` (drawn at random by
    /// the caller), kills it with SIGKILL and reaps it.
    /// With `onceDelivering`, the delay counts from the next message to reach the relay (from any
    /// process), so that the kill lands while messages are going out however slow the start is.
    /// On a thread of its own (`OwnThread`): the waits block, and the kill must land when drawn.
    static func kill(_ child: ChildProcess, after milliseconds: Int, server: CaptureServer, onceDelivering: Bool = false) async throws -> RandomKill {
        try await OwnThread.run { try killBlocking(child, after: milliseconds, server: server, onceDelivering: onceDelivering) }
    }

    private static func killBlocking(_ child: ChildProcess, after milliseconds: Int, server: CaptureServer, onceDelivering: Bool) throws -> RandomKill {
        // The delay counts from the scheduler's start, not from the launch of the process.
        try child.waitForScheduler()
        let before = server.count()
        if onceDelivering {
            let started = ContinuousClock.now
            while server.count() == before, ContinuousClock.now - started < .seconds(10) { block(milliseconds: 2) }
        }
        // A blocking sleep: a task's sleep may resume late when other tests keep Swift's shared
        // threads busy, and the kill must land when it was drawn to.
        block(milliseconds: milliseconds)
        let wasRunning = child.isRunning
        child.signal(SIGKILL)
        guard child.wait(timeout: .seconds(10)) else { throw SetupFailure("\(child.name) was not reaped after SIGKILL") }
        let kill = RandomKill(
            delay: milliseconds, arrivedBefore: before, arrivedAtKill: server.count(), wasRunning: wasRunning,
            signalled: child.termination.signalled, rescued: rescued(in: child.errors))
        child.stop()
        return kill
    }

    /// Sleeps on this thread, whatever the cooperative pool is doing.
    static func block(milliseconds: Int) {
        Thread.sleep(forTimeInterval: Double(milliseconds) / 1000)
    }

    /// The sends a process's passes put back in the queue, from its log.
    static func rescued(in log: String) -> Int {
        log.split(separator: "\n").reduce(0) { total, line in
            guard let range = line.range(of: "rescued ") else { return total }
            return total + (Int(line[range.upperBound...].prefix { $0.isNumber }) ?? 0)
        }
    }
}
