import Foundation
import NurtureCore
import NurtureDefinitions
import NurtureStore
import NurtureTestSupport
import Testing

/// `nurture leads import`, run as the built binary: bad rows reported at their line and column and
/// skipped, the good ones kept; re-imports update; misspelt columns flagged; a 200 MB file in
/// constant memory.
@Suite(.timeLimit(.minutes(8)))
struct LeadImportTests {
    /// The 1-based column at which `needle` starts in `line`.
    static func column(of needle: String, in line: String) -> Int {
        guard let range = line.range(of: needle) else { return 0 }
        return line.distance(from: line.startIndex, to: range.lowerBound) + 1
    }

    @Test("each malformed row is reported as file:line:col and skipped; the good rows are imported")
    func malformedRows() throws {
        let folder = try TemporaryFolder.make("nurture-import")
        defer { TemporaryFolder.remove(folder) }
        let db = folder.appendingPathComponent("nurture.sqlite").path
        let lines = [
            "id,email,first_name,time_zone,stage,owner_emial,timezone,notes",      // 1
            "I-1,i1@example.org,Ana,Europe/Paris,lead,x,y,plain",                  // 2
            "I-2,i2@example.org,Ben,UTC,lead,x,y,\"a note, with a comma",          // 3
            "over two lines\"",                                                     // 4
            "I-3,i3@example.org,Cleo,UTC,lead,x,y",                                // 5: a field short
            "I-4,not-an-address,Dan,UTC,lead,x,y,n",                               // 6
            "I-5,i5@example.org,Eve,Mars/Olympus_Mons,lead,x,y,n",                 // 7
            "I-6,i6@example.org,Fay,UTC,lead,x,y,n,surplus",                       // 8: a field too many
            "I-9,\"i9@example.org\" x,Gil,UTC,lead,x,y,n",                         // 9: text after a closing quote
            "",                                                                     // 10: blank, ignored
            "I-7,i7@example.org,Gus,UTC,lead,x,y,\"never closed",                  // 11
            "I-8,i8@example.org,Hal,UTC,lead,x,y,\"He said \"\"hi\"\"\"",          // 12: read again after the bad quote
        ]
        let csv = folder.appendingPathComponent("leads.csv")
        try (lines.joined(separator: "\n") + "\n").write(to: csv, atomically: true, encoding: .utf8)
        let path = csv.path

        let run = try NurtureCLI.run(["leads", "import", path, "--db", db])
        #expect(run.status == 1, "rows were refused, which a script must hear; the good rows are imported: \(run.stderr)")
        #expect(run.stdout == "3 leads read: 3 new, 0 updated; 6 rows skipped\n", "\(run.stdout)")
        let expected = [
            "\(path):1:\(Self.column(of: "owner_emial", in: lines[0])): warning: unknown column 'owner_emial' is kept as a lead attribute; did you mean 'owner_email'?",
            "\(path):1:\(Self.column(of: "timezone", in: lines[0])): warning: unknown column 'timezone' is kept as a lead attribute; did you mean 'time_zone'?",
            "\(path):5:1: error: expected 8 fields, found 7; row skipped",
            "\(path):6:5: error: 'not-an-address' is not an email address; row skipped",
            "\(path):7:\(Self.column(of: "Mars", in: lines[6])): error: unknown time zone 'Mars/Olympus_Mons'; row skipped",
            "\(path):8:\(Self.column(of: "surplus", in: lines[7])): error: expected 8 fields, found 9; row skipped",
            "\(path):9:\(Self.column(of: " x,", in: lines[8]) + 1): error: text after the closing quote of a field; row skipped",
            "\(path):11:\(Self.column(of: "\"never", in: lines[10])): error: unterminated quoted field (no closing '\"'); row skipped",
        ]
        #expect(run.stderrLines == expected, "\(run.stderr)")

        let store = try SQLiteStore(path: db)
        let file = try StoreFile(db)
        #expect(try file.strings("SELECT id FROM lead ORDER BY id") == ["I-1", "I-2", "I-8"])
        let two = try #require(try store.lead("I-2")?.0)
        #expect(two.attributes["notes"] == "a note, with a comma\nover two lines")
        #expect(two.attributes["owner_emial"] == "x", "a misspelt column is still kept, as an attribute")
        #expect(two.owner == nil)
        #expect(try store.lead("I-8")?.0.attributes["notes"] == "He said \"hi\"")
        #expect(try store.lead("I-1")?.0.timeZone?.identifier == "Europe/Paris")

        // The same file again: the same leads, updated, not duplicated.
        let again = try NurtureCLI.run(["leads", "import", path, "--db", db])
        #expect(again.stdout == "3 leads read: 0 new, 3 updated; 6 rows skipped\n", "\(again.stdout)")
        #expect(try file.count("SELECT COUNT(*) FROM lead") == 3)

        // A corrected file: the fixed rows join, the changed values win.
        var fixed = lines
        fixed[1] = "I-1,ana@example.org,Ana,Europe/Paris,recycled,x,y,plain"
        fixed[4] = "I-3,i3@example.org,Cleo,UTC,lead,x,y,n"
        fixed[6] = "I-5,i5@example.org,Eve,America/Sao_Paulo,lead,x,y,n"
        try (fixed.joined(separator: "\n") + "\n").write(to: csv, atomically: true, encoding: .utf8)
        let corrected = try NurtureCLI.run(["leads", "import", path, "--db", db])
        #expect(corrected.stdout == "5 leads read: 2 new, 3 updated; 4 rows skipped\n", "\(corrected.stdout)")
        #expect(try file.count("SELECT COUNT(*) FROM lead") == 5)
        let ana = try #require(try store.lead("I-1")?.0)
        #expect(ana.email == "ana@example.org" && ana.stage == "recycled")
        #expect(try store.leadID(for: "ana@example.org") == "I-1")
        #expect(try store.leadID(for: "i1@example.org") == nil, "the old address is gone, not kept beside the new one")
    }

    @Test("a spreadsheet export (byte order mark, CRLF, padded cells, no final newline) reads like any other file")
    func spreadsheetExport() throws {
        let folder = try TemporaryFolder.make("nurture-import-excel")
        defer { TemporaryFolder.remove(folder) }
        let db = folder.appendingPathComponent("nurture.sqlite").path
        let csv = folder.appendingPathComponent("export.csv")
        let text = "\u{FEFF}id , email,time_zone,stage,company\r\nE-1, e1@example.org ,Asia/Tokyo,lead,\"Kestrel, Inc.\"\r\n\r\nE-2,e2@example.org,,lead,Fjord"
        try Data(text.utf8).write(to: csv)
        let run = try NurtureCLI.run(["leads", "import", csv.path, "--db", db])
        #expect(run.stdout == "2 leads read: 2 new, 0 updated; 0 rows skipped\n", "\(run.stdout)")
        #expect(run.stderr.isEmpty, "\(run.stderr)")
        let store = try SQLiteStore(path: db)
        let first = try #require(try store.lead("E-1")?.0, "the first column is 'id', not '\\u{FEFF}id'")
        #expect(first.email == "e1@example.org")
        #expect(first.timeZone?.identifier == "Asia/Tokyo")
        #expect(first.attributes == ["company": "Kestrel, Inc."])
        #expect(try store.lead("E-2")?.0.attributes == ["company": "Fjord"])
    }

    @Test("a file without an email column imports nothing and says which column was probably meant")
    func missingEmailColumn() throws {
        let folder = try TemporaryFolder.make("nurture-import-header")
        defer { TemporaryFolder.remove(folder) }
        let db = folder.appendingPathComponent("nurture.sqlite").path
        let csv = folder.appendingPathComponent("leads.csv")
        try "id,Emial,stage\nX-1,x1@example.org,lead\n".write(to: csv, atomically: true, encoding: .utf8)
        let run = try NurtureCLI.run(["leads", "import", csv.path, "--db", db])
        #expect(run.status == 1)
        #expect(run.stderrLines == [
            "\(csv.path):1:4: warning: unknown column 'Emial' is kept as a lead attribute; did you mean 'email'?",
            "\(csv.path):1:4: error: missing column 'email' ('Emial' is not it: the name must be exactly 'email')",
        ], "\(run.stderr)")
        #expect(try StoreFile(db).count("SELECT COUNT(*) FROM lead") == 0)
    }

    @Test("a file that cannot be read as a lead table imports nothing, with one clear error", arguments: [
        ("empty", Data(), "no header row: the file is empty"),
        ("utf16", Data([0xFF, 0xFE]) + "id,email\n".data(using: .utf16LittleEndian)!, "the file is UTF-16 text; save it as UTF-8 (CSV UTF-8)"),
        ("missing", nil, "no such file"),
    ] as [(String, Data?, String)])
    func unreadable(name: String, contents: Data?, message: String) throws {
        let folder = try TemporaryFolder.make("nurture-import-unreadable")
        defer { TemporaryFolder.remove(folder) }
        let csv = folder.appendingPathComponent("\(name).csv")
        if let contents { try contents.write(to: csv) }
        let run = try NurtureCLI.run(["leads", "import", csv.path, "--db", folder.appendingPathComponent("db.sqlite").path])
        #expect(run.status == 1)
        #expect(run.stderrLines == ["\(csv.path):1:1: error: \(message)"], "\(run.stderr)")
    }

    @Test("column names near a known one get a suggestion; other attributes do not", arguments: [
        ("emial", "email"), ("Email", "email"), ("e-mail", "email"), ("mail", "email"), ("timezone", "time_zone"),
        ("time-zone", "time_zone"), ("tz_name", nil), ("owner_emial", "owner_email"), ("owner-name", "owner_name"),
        ("ownr_title", "owner_title"), ("owner_phon", "owner_phone"), ("stag", "stage"), ("Stage", "stage"), ("ID", "id"),
        ("first_name", nil), ("last_name", nil), ("company", nil), ("title", nil), ("webinar_title", nil),
        ("company_size", nil), ("country", nil), ("industry", nil), ("notes", nil), ("x", nil), ("phone", nil),
        ("id", nil), ("email", nil), ("time_zone", nil),
    ] as [(String, String?)])
    func suggestions(name: String, expected: String?) {
        #expect(LeadTable.suggestion(for: name) == expected)
    }

    @Test(
        "a 200 MB file imports completely in far less memory than its size",
        .enabled(if: FileManager.default.fileExists(atPath: "/proc/self/status"), "reads peak memory from /proc"))
    func twoHundredMegabytes() async throws {
        let binary = try NurtureCLI.path()
        let folder = try TemporaryFolder.make("nurture-import-large")
        defer { TemporaryFolder.remove(folder) }
        let db = folder.appendingPathComponent("nurture.sqlite").path
        let csv = folder.appendingPathComponent("large.csv")
        let rows = 200_000
        _ = FileManager.default.createFile(atPath: csv.path, contents: nil)
        let handle = try FileHandle(forWritingTo: csv)
        let filler = String(repeating: "Asked about forecasting, pipeline hygiene and the weekly call; ", count: 16)
        var chunk = "id,email,first_name,company,time_zone,stage,notes\n"
        for number in 0..<rows {
            chunk += "L-\(number),lead\(number)@example.org,Lead \(number),Company \(number % 977),Europe/Berlin,lead,\"\(filler)\(number)\"\n"
            if chunk.utf8.count > 1 << 20 {
                try handle.write(contentsOf: Data(chunk.utf8))
                chunk = ""
            }
        }
        try handle.write(contentsOf: Data(chunk.utf8))
        try handle.close()
        let size = try #require(try FileManager.default.attributesOfItem(atPath: csv.path)[.size] as? Int)
        #expect(size >= 200_000_000, "the file is \(size) bytes")

        // Peak resident memory from the kernel (VmHWM), read while the import runs.
        let importer = try ChildProcess(name: "nurture leads import", executable: binary, arguments: ["leads", "import", csv.path, "--db", db])
        defer { importer.stop() }
        var peakKB = 0
        let statusFile = "/proc/\(importer.pid)/status"
        let deadline = ContinuousClock.now + .seconds(150)
        while importer.isRunning, ContinuousClock.now < deadline {
            if let text = try? String(contentsOfFile: statusFile, encoding: .utf8),
               let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
               let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") {
                peakKB = max(peakKB, kilobytes)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(importer.wait(timeout: .seconds(1)), "the import finished within the time allowed")
        #expect(importer.termination.status == 0, "\(importer.errors)")
        let count = rows.formatted(.number.locale(Locale(identifier: "en_US")))
        #expect(importer.output == "\(count) leads read: \(count) new, 0 updated; 0 rows skipped\n", "\(importer.output) \(importer.errors)")
        #expect(peakKB > 0, "no reading of the importer's memory")
        #expect(peakKB < 150 * 1024, "peak memory \(peakKB / 1024) MB for a \(size / 1_000_000) MB file")
        print("200 MB import: \(size / 1_000_000) MB file, peak resident memory \(peakKB / 1024) MB")

        let file = try StoreFile(db)
        #expect(try file.count("SELECT COUNT(*) FROM lead") == rows)
        let last = try #require(try SQLiteStore(path: db).lead("L-\(rows - 1)")?.0)
        #expect(last.attributes["notes"] == "\(filler)\(rows - 1)")
    }
}
