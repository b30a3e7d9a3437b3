import Foundation

/// The real SMTP servers the delivery tests run on loopback: the capturing aiosmtpd server
/// (``CaptureServer``) and Postfix's `smtp-sink` (``SMTPSink``), and whether tests needing them run.
///
/// Outside CI a missing server program disables the tests that need it; under `CI=true` those
/// tests run and fail, so a CI image without the servers can never pass by skipping.
public enum TestServers {
    /// The server scripts: `capture_smtp.py`, `check_mime.py`, `tether.py`.
    public static let scripts = PackageFolders.root.appendingPathComponent("Tests/Servers")

    /// Debian's Python, which has python3-aiosmtpd (not a pyenv `python3` that may be first on PATH).
    public static let python = "/usr/bin/python3"
    static let smtpSink: String = ["/usr/sbin/smtp-sink", "/usr/bin/smtp-sink", "/usr/local/sbin/smtp-sink"]
        .first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/sbin/smtp-sink"

    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"]?.lowercased() == "true" }

    /// Python with aiosmtpd importable.
    static let hasAiosmtpd: Bool = {
        guard hasPython else { return false }
        return (try? ToolRun.run(python, ["-c", "import aiosmtpd.controller"]).status) == 0
    }()

    static var hasPython: Bool { FileManager.default.isExecutableFile(atPath: python) }
    static var hasSMTPSink: Bool { FileManager.default.isExecutableFile(atPath: smtpSink) }

    /// Whether tests needing the capture server should run: always under CI (and then fail if it
    /// is missing), otherwise only when it can work.
    public static var runCaptureTests: Bool { isCI || hasAiosmtpd }
    /// The same for `smtp-sink`, which runs under `tether.py` and so needs Python too.
    public static var runSinkTests: Bool { isCI || (hasSMTPSink && hasPython) }
}
