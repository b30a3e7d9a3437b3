import Foundation
import NurtureTestSupport
import Testing

/// The public URL that tracked links are made from, as `nurture tick` checks it: a sequence with
/// `tracking: true` needs one, and it must be https.
@Suite(.timeLimit(.minutes(8)))
struct TrackingOptionsTests {
    @Test func aTrackedSequenceNeedsAnHTTPSPublicURL() throws {
        let folder = try TemporaryFolder.make("nurture-tracking-options")
        defer { TemporaryFolder.remove(folder) }
        let definitions = try TestEnvironment.makeDefinitions(in: folder)
        let blast = try String(contentsOf: definitions.appendingPathComponent("blast.yml"), encoding: .utf8)
        try (blast.replacingOccurrences(of: "reentry: never\n", with: "reentry: never\ntracking: true\n"))
            .write(to: definitions.appendingPathComponent("blast.yml"), atomically: true, encoding: .utf8)
        let db = folder.appendingPathComponent("nurture.sqlite").path
        let leads = folder.appendingPathComponent("leads.csv")
        try "id,email,first_name,time_zone,stage\nT-1,t1@example.org,Tess,UTC,lead\n".write(to: leads, atomically: true, encoding: .utf8)
        #expect(try NurtureCLI.run(["leads", "import", leads.path, "--db", db]).status == 0)
        #expect(try NurtureCLI.run(["enroll", "blast", "--where", "stage == lead", "--db", db, "--definitions", definitions.path]).status == 0)
        // Nothing listens there: each refusal comes before any delivery.
        let tick = ["tick", "--db", db, "--relay", "smtp://127.0.0.1:9", "--definitions", definitions.path]

        let missing = try NurtureCLI.run(tick)
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("sequence 'blast' has tracking: true: give --public-url"), "\(missing.stderr)")

        let plain = try NurtureCLI.run(tick + ["--public-url", "http://mail.example.com"])
        #expect(plain.status != 0)
        #expect(plain.stderr.contains("--public-url must be https for the links in emails"), "\(plain.stderr)")
    }
}
