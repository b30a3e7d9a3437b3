import ArgumentParser
import Foundation
import NurtureCore
import NurtureOperations
import NurtureStore

struct HandOffs: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "handoffs",
        abstract: "The hand-off ledger: list hand-offs, show one with its engagement summary, and record the rep's answer.",
        subcommands: [List.self, Show.self, Accept.self, Reject.self, Touch.self, Outcome.self])

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func instant(_ date: Date?) -> String { date.map { ISO8601DateFormatter().string(from: $0) } ?? "-" }

    /// One line per hand-off.
    static func line(_ record: HandOffRecord, now: Date) -> String {
        let state = record.isOverdue(at: now) ? "overdue" : record.status.rawValue
        return "#\(record.id)  \(instant(record.at))  \(record.leadEmail)  score \(Int(record.score.rounded())) \(record.grade)  "
            + "to \(record.repEmail ?? "sales")\(record.routeReason.map { " (\($0))" } ?? "")  \(state)  due \(instant(record.due))  \(record.reason)"
    }

    /// A hand-off in full, with its summary.
    static func detail(_ record: HandOffRecord, now: Date) -> String {
        var lines = [
            "Hand-off #\(record.id): \(record.leadEmail) (lead \(record.leadID))",
            "  to        \(record.repName.map { "\($0) <\(record.repEmail ?? "")>" } ?? record.repEmail ?? "sales")",
            "  why       \(record.reason)\(record.sequence.map { " (\($0))" } ?? "")",
            "  at        \(instant(record.at)), lifecycle version \(record.definitionsVersion.map(String.init) ?? "-")",
            "  status    \(record.isOverdue(at: now) ? "overdue" : record.status.rawValue)\(record.answer.map { ": \($0) at \(instant(record.answeredAt))" } ?? "")",
            "  answer by \(instant(record.due))",
        ]
        if let routed = record.routeReason { lines.insert("  routed    \(routed)", at: 2) }
        if record.status == .accepted {
            lines.append("  touch by  \(instant(record.touchDue)); first touch \(record.touchedAt.map { instant($0) } ?? "not yet")")
        }
        if let expired = record.expiredAt { lines.append("  expired   \(instant(expired))") }
        lines.append("")
        lines += SummaryText.lines(record.summary)
        return lines.joined(separator: "\n")
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List hand-offs, oldest first.")
        @OptionGroup var store: StoreOptions
        @Option(help: ArgumentHelp("Only this rep's hand-offs.", valueName: "email")) var rep: String?
        @Option(help: "open, overdue, accepted, rejected or expired.") var status: HandOffFilter.Status?
        @Option(help: ArgumentHelp("Only those made at or after this time.", valueName: "date"), transform: Instant.parse) var since: Date?
        @Option(help: ArgumentHelp("Only those made before this time.", valueName: "date"), transform: Instant.parse) var until: Date?
        @Option(help: "text or json.") var format: Format = .text

        func run() throws {
            let store = try store.openShared(.reading)
            let now = Date()
            let records = try store.handOffs(
                HandOffFilter(repEmail: rep, status: status, since: since, until: until), now: now)
            switch format {
            case .json: print(try HandOffs.json(records))
            case .text:
                for record in records { print(HandOffs.line(record, now: now)) }
                if records.isEmpty { print("no hand-offs") }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One hand-off with its engagement summary and deadlines.")
        @Argument(help: "The hand-off id.", transform: HandOffID.parse) var id: Int64
        @OptionGroup var store: StoreOptions
        @Option(help: "text or json.") var format: Format = .text

        func run() throws {
            let store = try store.openShared(.reading)
            guard let record = try store.handOff(id) else { throw ValidationError("no hand-off \(id)") }
            print(format == .json ? try HandOffs.json(record) : HandOffs.detail(record, now: Date()))
        }
    }

    struct Accept: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Accept a hand-off: the lead moves as lifecycle.yml says, and the first-touch deadline starts.")
        @Argument(help: "The hand-off id.", transform: HandOffID.parse) var id: Int64
        @OptionGroup var loop: LoopOptions
        @Option(help: ArgumentHelp("When it was accepted (default: now).", valueName: "time"), transform: Instant.parse) var at: Date?

        func run() throws {
            let (store, definitions) = try loop.open()
            let record = try refusing {
                try HandOffDesk(store: store, lifecycle: definitions.lifecycle).accept(id, at: at ?? Date())
            }
            print("accepted hand-off #\(record.id) (\(record.leadEmail)); first touch due \(HandOffs.instant(record.touchDue))")
        }
    }

    struct Reject: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject a hand-off with a reason the lifecycle knows (not-ready recycles the lead into nurture).")
        @Argument(help: "The hand-off id.", transform: HandOffID.parse) var id: Int64
        @Option(help: ArgumentHelp("Why, e.g. not-ready or bad-fit.", valueName: "reason")) var reason: String
        @OptionGroup var loop: LoopOptions
        @Option(help: ArgumentHelp("When it was rejected (default: now).", valueName: "time"), transform: Instant.parse) var at: Date?

        func run() throws {
            let (store, definitions) = try loop.open()
            let record = try refusing {
                try HandOffDesk(store: store, lifecycle: definitions.lifecycle).reject(id, reason: reason, at: at ?? Date())
            }
            print("rejected hand-off #\(record.id) (\(record.leadEmail)) as \(reason); the scheduler applies it on its next pass")
        }
    }

    struct Touch: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record the first personal touch (a call or one-to-one email) on an accepted hand-off.")
        @Argument(help: "The hand-off id.", transform: HandOffID.parse) var id: Int64
        @OptionGroup var loop: LoopOptions
        @Option(help: ArgumentHelp("When the touch happened (default: now).", valueName: "time"), transform: Instant.parse) var at: Date?

        func run() throws {
            let (store, definitions) = try loop.open()
            let record = try refusing {
                try HandOffDesk(store: store, lifecycle: definitions.lifecycle).touch(id, at: at ?? Date())
            }
            let kept = record.touchDue.map { (record.touchedAt ?? Date()) <= $0 ? "within" : "after" } ?? "with no"
            print("first touch on hand-off #\(record.id) recorded, \(kept) the service level")
        }
    }

    struct Outcome: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record any other rep action lifecycle.yml knows: qualify, disqualify(not-ready), won, lost(competitor)...")
        @Argument(help: "The lead, by email or id.") var lead: String
        @Argument(help: "The action, e.g. qualify or lost(competitor).") var action: String
        @OptionGroup var loop: LoopOptions
        @Option(help: ArgumentHelp("When it happened (default: now).", valueName: "time"), transform: Instant.parse) var at: Date?
        @Option(help: ArgumentHelp("The deal's value, for qualify or won: a decimal such as 48000 or 48000.50.", valueName: "amount"))
        var amount: String?
        @Option(help: ArgumentHelp("The amount's ISO 4217 currency, e.g. USD.", valueName: "code")) var currency: String?

        /// The value, checked before the store is opened.
        func value() throws -> DealValue? {
            switch (amount, currency) {
            case (nil, nil): return nil
            case (_, nil): throw ValidationError("--amount needs --currency, e.g. --currency USD")
            case (nil, _): throw ValidationError("--currency needs --amount")
            case let (amount?, currency?):
                switch DealValue.parse(amount: amount, currency: currency) {
                case let .success(value): return value
                case let .failure(problem): throw ValidationError(problem.message)
                }
            }
        }

        func validate() throws { _ = try value() }

        func run() throws {
            let (store, definitions) = try loop.open()
            let value = try value()
            let recorded = try refusing {
                try HandOffDesk(store: store, lifecycle: definitions.lifecycle)
                    .outcome(lead: lead, action: action, value: value, at: at ?? Date())
            }
            print("recorded \(recorded)\(value.map { " worth \($0)" } ?? "") for \(lead); the scheduler applies it on its next pass")
        }
    }
}

extension HandOffFilter.Status: ExpressibleByArgument {}
