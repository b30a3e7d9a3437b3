import Foundation
import NurtureTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A worker that does not stop when asked makes its test fail within the test's time limit: the
/// test can still ask how it ended (not a trap that ends the whole run and leaves every child
/// running), and `stop()` kills and reaps it.
/// The limit is the same as every other suite's that starts processes: it runs from the moment the
/// test is scheduled, and in a full run a test can wait minutes for one of Swift's shared threads
/// (as many as cores) while the blocking waits of the process tests beside it hold them.
@Suite(.timeLimit(.minutes(8)))
struct ChildProcessStopTests {
    @Test func aProcessThatIgnoresSIGTERMIsReportedRunningThenKilled() throws {
        let child = try ChildProcess(name: "stubborn", executable: "/bin/sh", arguments: ["-c", "trap '' TERM; while :; do sleep 0.1; done"])
        Thread.sleep(forTimeInterval: 0.3)
        child.signal(SIGTERM)
        #expect(!child.wait(timeout: .milliseconds(500)), "it ignores SIGTERM")
        #expect(child.termination.running && child.termination.description == "still running")
        let started = ContinuousClock.now
        child.stop(grace: .milliseconds(300))
        #expect(ContinuousClock.now - started < .seconds(10), "stop() kills what SIGTERM did not stop")
        #expect(!child.isRunning)
        #expect(child.termination.signalled && child.termination.status == SIGKILL, "\(child.termination)")
    }
}
