import ArgumentParser
import Foundation
import Hummingbird
import NurtureServer
import NurtureTokens

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The web service: one-click unsubscribe behind every email's List-Unsubscribe link, /healthz, and with --public-url the rep and team pages.")

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("Address and port to listen on.", valueName: "host:port"))
    var listen: String = "127.0.0.1:8080"

    @Option(help: ArgumentHelp("The keyring that checks link tokens (or NURTURE_KEYS).", valueName: "file"))
    var keys: String = ProcessInfo.processInfo.environment["NURTURE_KEYS"] ?? "nurture.keys"

    @Option(help: ArgumentHelp(
        "The service's address as reached from outside (or NURTURE_PUBLIC_URL): turns on the rep and team pages; https makes their cookie Secure.",
        valueName: "url"))
    var publicURL: String = ProcessInfo.processInfo.environment["NURTURE_PUBLIC_URL"] ?? ""

    @Option(help: ArgumentHelp("The definitions folder whose lifecycle.yml lists who may sign in to the pages.", valueName: "folder"))
    var definitions: String = "sequences"

    func address() throws -> (host: String, port: Int) {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]), (1...65_535).contains(port),
              !listen[..<colon].isEmpty
        else { throw ValidationError("--listen is host:port, e.g. 127.0.0.1:8080, with a port from 1 to 65535") }
        return (String(listen[..<colon]), port)
    }

    func validate() throws {
        _ = try address()
        _ = try pagesURL()
    }

    func pagesURL() throws -> PublicURL? {
        guard !publicURL.isEmpty else { return nil }
        do {
            return try PublicURL(publicURL)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        let (host, port) = try address()
        let keyring: Keyring
        do {
            keyring = try Keyring.load(path: keys)
        } catch {
            throw ValidationError(error.description)
        }
        let pages = try pagesURL().map { RepPagesSettings(definitions: try DefinitionsFolder.load(definitions).0, publicURL: $0) }
        let service = WebService(store: try store.openExisting(), keyring: keyring, repPages: pages)
        try await service.application(host: host, port: port).runService()
    }
}
