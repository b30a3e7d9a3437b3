import ArgumentParser
import Foundation
import Hummingbird
import NurtureServer
import NurtureTokens

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The web service: one-click unsubscribe behind every email's List-Unsubscribe link, /healthz, and the JSON API under /api.")

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("Address and port to listen on.", valueName: "host:port"))
    var listen: String = "127.0.0.1:8080"

    @Option(help: ArgumentHelp("The keyring that checks link tokens (or NURTURE_KEYS).", valueName: "file"))
    var keys: String = ProcessInfo.processInfo.environment["NURTURE_KEYS"] ?? "nurture.keys"

    @Option(help: ArgumentHelp(
        "The definitions folder (lifecycle.yml...) that the API checks rep actions, answers and requests against.",
        valueName: "folder"))
    var definitions: String?

    func address() throws -> (host: String, port: Int) {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]), (1...65_535).contains(port),
              !listen[..<colon].isEmpty
        else { throw ValidationError("--listen is host:port, e.g. 127.0.0.1:8080, with a port from 1 to 65535") }
        return (String(listen[..<colon]), port)
    }

    func validate() throws { _ = try address() }

    func run() async throws {
        let (host, port) = try address()
        let keyring: Keyring
        do {
            keyring = try Keyring.load(path: keys)
        } catch {
            throw ValidationError(error.description)
        }
        var service = WebService(store: try store.openExisting(), keyring: keyring)
        service.definitions = try definitions.map { try DefinitionsFolder.load($0).0 }
        try await service.application(host: host, port: port).runService()
    }
}
