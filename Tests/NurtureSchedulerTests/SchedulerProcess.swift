import NurtureTestSupport

extension ChildProcess {
    /// Waits until this `nurture run` has opened its store and started its scheduler (its log
    /// says so). A signal sent before then meets a process that is still starting; the tests that
    /// time a kill, or expect a clean exit on SIGTERM, wait for this first.
    func waitForScheduler(timeout: Duration = .seconds(30)) throws {
        try wait(timeout: timeout) { errors.contains("scheduler started") }
    }
}
