import Foundation
import NurtureCore
import NurtureDefinitions
import NurtureStore

/// What the store and scheduler benchmarks share: a temporary folder, a definitions folder with a
/// one-email sequence whose send window is open all week (UTC), and leads carrying every field
/// its template uses.
enum StoreBench {
    /// A fresh folder under the system's temporary directory.
    static func temporaryFolder(_ prefix: String) throws -> String {
        let path = NSTemporaryDirectory() + "\(prefix)-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static let sequenceID = "bench"

    /// Writes the benchmark's definitions folder into `folder` and loads it as `nurture` would.
    static func definitions(in folder: String) throws -> DefinitionSet {
        let files: [(String, String)] = [
            ("lifecycle.yml", """
                version: 1
                entry_stage: lead
                handoff_stage: mql
                default_owner: {name: Sales Development, email: sdr-queue@example.com}
                business_hours: {days: [mon, tue, wed, thu, fri], hours: "09:00-17:00", time_zone: UTC}
                stages:
                  - id: lead
                    name: Lead
                    owner: marketing
                  - id: mql
                    name: Marketing qualified lead
                    owner: sales
                transitions:
                  - to: mql
                    from: [lead]
                    when: score >= 80 and fit in [A, B]
                service_levels:
                  - stage: mql
                    owner: sales
                    promise: accept or reject every MQL
                    within: 8 business hours
                """),
            ("scoring.yml", """
                version: 1
                fit:
                  rules:
                    - attribute: title
                      contains: [VP, Director, Head of]
                      points: 20
                    - attribute: company_size
                      between: [200, 5000]
                      points: 15
                  grades: {A: 30, B: 15, C: 0}
                engagement:
                  email_open: {points: 1, cap: {points: 3, per: 7d}}
                  email_click: 5
                  reply: 20
                  unsubscribe: -40
                decay:
                  half_life: 30d
                """),
            ("\(sequenceID).yml", """
                id: \(sequenceID)
                name: Benchmark welcome
                audience: stage == lead
                sender: {name: Elena Marsh, email: elena.marsh@example.com}
                reply_to: owner
                send_window:
                  days: [mon, tue, wed, thu, fri, sat, sun]
                  hours: "00:00-24:00"
                  time_zone: UTC
                exits:
                  - on: reply
                steps:
                  - id: welcome
                    email: \(sequenceID)/welcome
                """),
            ("templates/\(sequenceID)/welcome.md", """
                ---
                subject: "{{first_name}}, welcome to Northwind"
                preheader: A short note from {{sender.name}}
                ---
                Hi {{first_name}} {{last_name}},

                Thanks for your interest in Northwind Analytics. Teams like {{company}} use it to run the weekly
                forecast call in half the time, with **one definition of commit** that sales and finance agree on.

                As {{title}}, you may like these three places to start:

                1. The [forecast checklist](https://northwind.example.com/resources/checklist), twelve points in an afternoon.
                2. A [customer story](https://northwind.example.com/customers/fernhill) from a team of {{company_size}}.
                3. The [product tour](https://northwind.example.com/tour), ten minutes, no sign-up.

                If you would rather talk it through, {{rep.first_name}} ({{rep.email}}) can set up a call.

                {{sender.name}}
                Northwind Analytics

                [Unsubscribe]({{unsubscribe_url}}) from these emails.
                """),
        ]
        for (name, text) in files {
            let path = "\(folder)/\(name)"
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try (text + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        let loaded = DefinitionLoader.load(directory: folder)
        guard let set = loaded.definitions, !loaded.diagnostics.hasErrors else {
            throw BenchFailure("the benchmark definitions do not load:\n"
                + loaded.diagnostics.sorted.map(\.description).joined(separator: "\n"))
        }
        return set
    }

    static let zones = ["America/New_York", "America/Chicago", "Europe/London", "Asia/Kolkata", "Australia/Sydney"]
        .compactMap(TimeZone.init(identifier:))
    static let reps = [
        Rep(name: "Jordan Ellis", email: "jordan.ellis@example.com", title: "Account Executive", phone: "+1 555 0100"),
        Rep(name: "Priya Raman", email: "priya.raman@example.com", title: "Account Executive"),
        Rep(name: "Sam Okafor", email: "sam.okafor@example.com"),
    ]
    static let firstNames = ["Dana", "Lee", "Avery", "Morgan", "Kai", "Rosa", "Tomás", "Ines"]
    static let lastNames = ["Nguyen", "Schmidt", "Okafor", "Martín", "Larsen", "Kowalski", "Brown"]
    static let titles = ["VP Sales", "Director of RevOps", "Sales Manager", "Head of Finance", "Controller"]

    /// Lead number `number`, with every field the template uses.
    static func lead(_ number: Int) -> Lead {
        Lead(
            id: String(format: "lead-%08d", number), email: "lead\(number)@example.org",
            timeZone: zones[number % zones.count], owner: number % 4 == 3 ? nil : reps[number % reps.count],
            stage: "lead",
            attributes: [
                "first_name": firstNames[number % firstNames.count],
                "last_name": lastNames[number % lastNames.count],
                "company": "Company \(number % 997)",
                "title": titles[number % titles.count],
                "company_size": String(50 + (number * 37) % 9000),
                "industry": "software",
                "country": "United States",
            ])
    }

    /// Imports leads `0..<count` in batches, as `nurture leads import` does.
    static func importLeads(_ count: Int, into store: any SchedulerStore, batch: Int = 2_000) throws {
        var start = 0
        while start < count {
            let end = min(count, start + batch)
            _ = try store.upsert((start..<end).map(lead))
            start = end
        }
    }

    /// Asks for every lead to be enrolled in the benchmark sequence, as `nurture enroll` does.
    static func enroll(_ count: Int, into store: SQLiteStore, at now: Date, batch: Int = 10_000) throws {
        var start = 0
        while start < count {
            let end = min(count, start + batch)
            _ = try store.append((start..<end).map { InboxItem.enrollment(in: sequenceID, leadID: lead($0).id, at: now) })
            start = end
        }
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}

/// `12345` as `12,345`.
func grouped(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var out = ""
    for (index, char) in digits.enumerated() {
        if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
        out.append(char)
    }
    return (value < 0 ? "-" : "") + out
}

func fixed(_ value: Double, _ places: Int = 3) -> String { String(format: "%.\(places)f", value) }

enum ProcessCPU {
    /// User and system time this process has used so far, in seconds, on every thread.
    static var seconds: Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) * 1e-6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
