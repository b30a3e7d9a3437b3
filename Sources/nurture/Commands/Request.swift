import ArgumentParser
import Foundation
import NurtureCore
import NurtureOperations
import NurtureStore

struct Request: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A rep asks for one of their prospects to be nurtured; it comes back to them when the score says so.",
        discussion: """
            The lead is enrolled with the rep as its owner (and so as the sender of 'sender: owner' sequences). \
            The request is refused, and nothing changes, when the lead belongs to another rep (unless --reassign), \
            is suppressed, cannot enter the sequence (audience, re-entry, a sequence already running), or when the \
            rep's profile in lifecycle.yml lacks a field the emails use.
            """,
        subcommands: [Create.self, Cancel.self, List.self], defaultSubcommand: Create.self)

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Request a nurture (the default: 'nurture request SEQUENCE --lead ... --rep ...').")
        @Argument(help: "The sequence id.") var sequence: String
        @Option(help: ArgumentHelp("The lead, by email or id.", valueName: "email-or-id")) var lead: String
        @Option(help: ArgumentHelp("The requesting rep, as listed in lifecycle.yml's reps.", valueName: "email")) var rep: String
        @Option(help: ArgumentHelp("Why, for the record and the hand-back (at most 2,000 characters).", valueName: "text")) var note: String?
        @Option(help: ArgumentHelp("The request lapses (unused) if the lead has not come back by then.", valueName: "date"), transform: Instant.parse) var until: Date?
        @Flag(help: "Take the lead over from the rep who owns it.") var reassign = false
        @OptionGroup var loop: LoopOptions

        func run() throws {
            let (store, definitions) = try loop.open()
            let request = try refusing {
                try RequestDesk(store: store, definitions: definitions).request(
                    sequence, lead: lead, repEmail: rep, note: note, until: until, reassign: reassign, at: Date())
            }
            print("request #\(request.id): \(lead) will be nurtured by \(sequence) for \(request.repEmail); the scheduler enrolls it on its next pass")
        }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a request (it counts as abandoned).")
        @Argument(help: "The request id.", transform: HandOffID.parse) var id: Int64
        @OptionGroup var loop: LoopOptions

        func run() throws {
            let (store, definitions) = try loop.open()
            let request = try refusing { try RequestDesk(store: store, definitions: definitions).cancel(id, at: Date()) }
            print("request #\(request.id) cancelled")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List requests and what became of them.")
        @OptionGroup var store: StoreOptions
        @Option(help: ArgumentHelp("Only this rep's requests.", valueName: "email")) var rep: String?
        @Option(help: "text or json.") var format: HandOffs.Format = .text

        func run() throws {
            let store = try store.openShared(.reading)
            let requests = try store.requests(leadID: nil, repEmail: rep, since: nil, until: nil)
            if format == .json { return print(try HandOffs.json(requests)) }
            for request in requests {
                print("#\(request.id)  \(HandOffs.instant(request.createdAt))  \(request.repEmail)  lead \(request.leadID)  \(request.sequence)  "
                    + "\(request.status.rawValue)\(request.note.map { "  \"\($0.controlCharactersEscaped)\"" } ?? "")")
            }
            if requests.isEmpty { print("no requests") }
        }
    }
}
