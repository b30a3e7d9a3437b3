import ArgumentParser
import Foundation
import NurtureTokens

struct Keys: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The keyring that signs unsubscribe links, kept outside the database.",
        subcommands: [Create.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the keyring, or add a new signing key to it (links already sent keep working).")

        @Option(help: ArgumentHelp("The keyring file (or NURTURE_KEYS); created readable by its owner only.", valueName: "file"))
        var keys: String = ProcessInfo.processInfo.environment["NURTURE_KEYS"] ?? "nurture.keys"

        func run() throws {
            let existing = FileManager.default.fileExists(atPath: keys) ? try load() : nil
            let ring = Keyring.rotated(existing, now: Date())
            do {
                try ring.save(path: keys)
            } catch {
                throw ValidationError(error.description)
            }
            let verb = existing == nil ? "created \(keys)" : "added a key to \(keys) (\(ring.keys.count) keys)"
            print("\(verb); new links are signed with key \(ring.current)")
        }

        func load() throws -> Keyring {
            do {
                return try Keyring.load(path: keys)
            } catch {
                throw ValidationError(error.description)
            }
        }
    }
}
