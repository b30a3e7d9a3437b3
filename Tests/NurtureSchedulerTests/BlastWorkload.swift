import Foundation
import NurtureTestSupport

/// A store filled through the command line as an operator would: `count` leads imported from a
/// CSV and all enrolled in the fixtures' one-email `blast` sequence, so `count` sends fall due at
/// once. Shared by the tests that watch `nurture run` processes work through them.
struct BlastWorkload {
    let count: Int
    /// The leads' addresses, `lead00000@example.org` and on: each must receive exactly one message.
    let addresses: [String]
    let definitions: String

    /// Imports and enrolls the leads into `db` (a SQLite path or a `postgres://` URL).
    init(count: Int, db: String, folder: URL) throws {
        self.count = count
        definitions = try TestEnvironment.makeDefinitions(in: folder).path
        let numbers = (0..<count).map { String(format: "%05d", $0) }
        addresses = numbers.map { "lead\($0)@example.org" }
        var csv = "id,email,first_name,time_zone,stage\n"
        for (number, address) in zip(numbers, addresses) {
            csv += "C-\(number),\(address),Lead\(number),UTC,lead\n"
        }
        let leadsFile = folder.appendingPathComponent("leads.csv")
        try csv.write(to: leadsFile, atomically: true, encoding: .utf8)
        let imported = try NurtureCLI.run(["leads", "import", leadsFile.path, "--db", db])
        let grouped = Self.grouped(count), expected = "\(grouped) leads read: \(grouped) new"
        guard imported.status == 0, imported.stdout.contains(expected) else {
            throw TestEnvironment.Failure(description: "leads import: \(imported.stdout) \(imported.stderr)")
        }
        let enrolled = try NurtureCLI.run(["enroll", "blast", "--where", "stage == lead", "--db", db, "--definitions", definitions])
        guard enrolled.status == 0, enrolled.stdout.contains("\(count) enrollment requests for blast") else {
            throw TestEnvironment.Failure(description: "enroll: \(enrolled.stdout) \(enrolled.stderr)")
        }
    }

    /// 20000 as the command line prints it: 20,000.
    static func grouped(_ number: Int) -> String {
        let digits = Array(String(number))
        return String(digits.enumerated().flatMap { index, digit in
            index > 0 && (digits.count - index) % 3 == 0 ? [",", digit] : [digit]
        })
    }
}
