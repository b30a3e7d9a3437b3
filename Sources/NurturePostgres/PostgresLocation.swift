import Foundation

/// Where a PostgreSQL store is, from a `postgres://` URL: host, port, user, database and TLS mode,
/// with the password from the URL, `PGPASSWORD`, or a service file (`?service=NAME` or
/// `PGSERVICE`, read from `PGSERVICEFILE` or `~/.pg_service.conf`).
///
/// Everything is validated here, once, with stated limits. The password is never part of a
/// description or an error: `description` is the URL without it.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    /// `sslmode`, as libpq reads it (see `PostgresTLS.swift`).
    public enum TLSMode: String, Sendable, Equatable, CaseIterable {
        case disable, prefer, require
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var tls: TLSMode

    /// Why a location cannot be used; never holds the password.
    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    /// The longest URL taken, and PostgreSQL's own limit on names (NAMEDATALEN - 1).
    public static let maximumURLLength = 2048
    public static let maximumNameLength = 63

    /// Whether `text` names a PostgreSQL store rather than a SQLite file.
    public static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Reads `url`; `environment` gives PGPASSWORD, PGSERVICE, PGSERVICEFILE and HOME.
    public init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard url.utf8.count <= Self.maximumURLLength else {
            throw Problem(description: "the PostgreSQL URL is longer than \(Self.maximumURLLength) characters")
        }
        guard Self.isPostgres(url), let parts = URLComponents(string: url) else {
            throw Problem(description: "not a PostgreSQL URL (expected postgres://user@host:port/database)")
        }
        let query = Dictionary((parts.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        let known: Set = ["sslmode", "service"]
        if let unknown = query.keys.sorted().first(where: { !known.contains($0) }) {
            throw Problem(description: "unknown PostgreSQL URL parameter '\(unknown)' (known: sslmode, service)")
        }
        var service: [String: String] = [:]
        if let name = query["service"] ?? environment["PGSERVICE"] {
            service = try Self.service(named: name, environment: environment)
        }

        host = parts.host.flatMap { $0.isEmpty ? nil : $0 } ?? service["host"] ?? "127.0.0.1"
        if let port = parts.port {
            self.port = port
        } else if let text = service["port"] {
            guard let port = Int(text) else { throw Problem(description: "the service's port '\(text)' is not a number") }
            self.port = port
        } else {
            port = 5432
        }
        guard (1...65535).contains(port) else { throw Problem(description: "the PostgreSQL port \(port) is not in 1...65535") }
        guard let user = parts.user.flatMap({ $0.removingPercentEncoding }).flatMap({ $0.isEmpty ? nil : $0 }) ?? service["user"] else {
            throw Problem(description: "the PostgreSQL URL names no user (postgres://user@host/database)")
        }
        self.user = user
        let path = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
        guard let database = (path.isEmpty ? nil : path.removingPercentEncoding) ?? service["dbname"] else {
            throw Problem(description: "the PostgreSQL URL names no database (postgres://user@host/database)")
        }
        self.database = database
        for (what, name) in [("user", user), ("database", database), ("host", host)] {
            guard !name.isEmpty, name.utf8.count <= (what == "host" ? 253 : Self.maximumNameLength),
                  !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
            else { throw Problem(description: "the PostgreSQL \(what) name is empty, too long or holds control characters") }
        }
        password = parts.password.flatMap { $0.removingPercentEncoding } ?? environment["PGPASSWORD"] ?? service["password"]
        let mode = query["sslmode"] ?? service["sslmode"] ?? "prefer"
        guard let tls = TLSMode(rawValue: mode) else {
            throw Problem(description: "sslmode '\(mode)' is not one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.tls = tls
    }

    /// The URL without its password.
    public var description: String {
        let mode = tls == .prefer ? "" : "?sslmode=\(tls.rawValue)"
        return "postgres://\(user)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)\(mode)"
    }

    /// The settings of one service in a PostgreSQL service file (INI: `[name]` then `key=value`).
    static func service(named name: String, environment: [String: String]) throws -> [String: String] {
        let path = environment["PGSERVICEFILE"] ?? (environment["HOME"].map { $0 + "/.pg_service.conf" } ?? "")
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw Problem(description: "PostgreSQL service '\(name)': cannot read the service file \(path)")
        }
        guard let settings = ServiceFile.settings(of: name, in: text) else {
            throw Problem(description: "PostgreSQL service '\(name)' is not in \(path)")
        }
        return settings
    }
}

/// PostgreSQL's service file format: sections `[name]`, lines `key=value`, `#` comments.
enum ServiceFile {
    static func settings(of service: String, in text: String) -> [String: String]? {
        var current: String?
        var found: [String: String]?
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                current = String(line.dropFirst().dropLast())
                if current == service, found == nil { found = [:] }
                continue
            }
            guard current == service, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            found?[key] = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        }
        return found
    }
}
