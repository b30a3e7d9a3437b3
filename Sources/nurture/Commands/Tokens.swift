import ArgumentParser
import Foundation
import NurtureStore
import NurtureTokens

struct Tokens: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Bearer tokens for the JSON API: one per system that sends events, or per rep.",
        discussion: """
            A token is printed once, when it is made, and never again: the store keeps only its SHA-256. \
            Give it to the system or the rep at once; a lost token is revoked and replaced.
            """,
        subcommands: [Create.self, List.self, Revoke.self])

    /// A source's name: what its events are tagged with and its event ids kept under.
    static func checkSourceName(_ name: String) throws {
        let allowed = name.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x2D || byte == 0x2E || byte == 0x5F
        }
        guard (1...64).contains(name.utf8.count), allowed, name.first?.isLetter ?? false else {
            throw ValidationError("a source is named by 1 to 64 lowercase letters, digits, '.', '-' or '_', starting with a letter, e.g. crm")
        }
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a token for a source (--source crm) or a rep listed in lifecycle.yml (--rep EMAIL), and print it once.")

        @Option(help: ArgumentHelp("A system that sends events to /api/events, e.g. crm.", valueName: "name")) var source: String?
        @Option(help: ArgumentHelp("A rep listed under reps: in lifecycle.yml (or its default_owner), for the hand-off and request routes.", valueName: "email"))
        var rep: String?
        @OptionGroup var loop: LoopOptions

        func validate() throws {
            guard (source == nil) != (rep == nil) else { throw ValidationError("give one of --source NAME or --rep EMAIL") }
            if let source { try Tokens.checkSourceName(source) }
        }

        func run() throws {
            let kind: APITokenRecord.Kind
            let name: String
            if let rep {
                // Only a rep the lifecycle knows: the rep routes act in their name.
                let definitions = try DefinitionsFolder.load(loop.definitions).0
                guard let known = definitions.lifecycle.rep(email: rep) else {
                    throw ValidationError("no rep \(rep) in the reps of \(loop.definitions)/lifecycle.yml")
                }
                (kind, name) = (.rep, known.email.lowercased())
            } else {
                (kind, name) = (.source, source ?? "")
            }
            let store = try loop.store.openShared(.existing)
            let token = BearerToken.generate()
            let id = try store.addAPIToken(kind: kind, name: name, hash: BearerToken.hash(token), at: Date())
            // The token alone on standard output, so that a script can take it; the rest goes to standard error.
            Terminal.error("token #\(id) for \(kind.rawValue) \(name); it is shown this once, keep it in the caller's secret store")
            print(token)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the tokens: id, kind, name, when made and revoked (never the token).")
        @OptionGroup var store: StoreOptions
        @Option(help: "text or json.") var format: HandOffs.Format = .text

        func run() throws {
            let tokens = try store.openShared(.existing).apiTokens()
            if format == .json { return print(try HandOffs.json(tokens)) }
            for token in tokens {
                print("#\(token.id)  \(token.kind.rawValue)  \(token.name)  created \(HandOffs.instant(token.createdAt))"
                    + (token.revokedAt.map { "  revoked \(HandOffs.instant($0))" } ?? ""))
            }
            if tokens.isEmpty { print("no tokens") }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token: calls with it get 401 from now on.")
        @Argument(help: "The token's id, from 'tokens list'.", transform: HandOffID.parse) var id: Int64
        @OptionGroup var store: StoreOptions

        func run() throws {
            guard try store.openShared(.existing).revokeAPIToken(id, at: Date()) else {
                throw ValidationError("no token #\(id), or it is revoked already")
            }
            print("token #\(id) revoked")
        }
    }
}
