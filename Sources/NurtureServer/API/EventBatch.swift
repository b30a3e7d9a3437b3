import Foundation

/// A body sent to `POST /api/events`, split into items: one JSON object, a JSON array of objects,
/// or NDJSON (one object per line). Each item keeps where it was (its NDJSON line, or its index
/// in the array) so that its result can say so, and a bad item never stops the others.
///
/// An item may name its `source`; it must then be the token's. The field is taken off before the
/// item is read as an event-log row, so the source always comes from the token.
struct EventBatch: Sendable {
    /// The largest body read; a larger one is refused (413) before the rest of it is read.
    static let maxBytes = 1 << 20
    /// The most items in one body: each is stored in its own transaction.
    static let maxItems = 1_000

    enum Format: Sendable {
        /// One object or an array; items are known by their index.
        case json
        /// One object per line; items are known by their line, from 1.
        case ndjson

        /// From a Content-Type header, with or without parameters such as charset.
        init?(contentType: String?) {
            let media = contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
            switch media {
            case "application/json": self = .json
            case "application/x-ndjson", "application/ndjson", "application/jsonl": self = .ndjson
            default: return nil
            }
        }
    }

    struct Item: Sendable {
        /// The NDJSON line (from 1) or the array index (from 0).
        var position: Int
        /// The item as one JSON line for the event-log reader, without its `source`.
        var line: String?
        /// Why the item was refused before it was read as an event.
        var problem: String?
    }

    /// Why the body as a whole cannot be read.
    struct Refusal: Error {
        var message: String
        /// Too many items, rather than malformed.
        var tooLarge = false
    }

    var format: Format
    var items: [Item]

    init(_ body: Data, format: Format, source: String) throws {
        guard let text = String(data: body, encoding: .utf8) else { throw Refusal(message: "the body is not UTF-8") }
        self.format = format
        var objects: [(position: Int, value: Any?)] = []
        switch format {
        case .json:
            guard let value = try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) else {
                throw Refusal(message: "the body is not JSON; send an event object, an array of them, or NDJSON as application/x-ndjson")
            }
            if let array = value as? [Any] {
                objects = array.enumerated().map { (position: $0.offset, value: $0.element) }
            } else if value is [String: Any] {
                objects = [(position: 0, value: value)]
            } else {
                throw Refusal(message: "the body is neither an event object nor an array of them")
            }
        case .ndjson:
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !trimmed.isEmpty else { continue }
                objects.append((position: index + 1, value: try? JSONSerialization.jsonObject(with: Data(trimmed.utf8))))
            }
        }
        guard objects.count <= Self.maxItems else {
            throw Refusal(message: "\(objects.count) items; at most \(Self.maxItems) in one request", tooLarge: true)
        }
        guard !objects.isEmpty else { throw Refusal(message: "the body holds no events") }
        items = objects.map { Self.item($0.position, $0.value, source: source) }
    }

    static func item(_ position: Int, _ value: Any?, source: String) -> Item {
        guard var object = value as? [String: Any] else { return Item(position: position, problem: "not a JSON object") }
        if let named = object.removeValue(forKey: "source") {
            guard let name = named as? String, name == source else {
                let shown = String(describing: named).prefix(64)
                return Item(position: position, problem: "the item names source '\(shown)', but the token is for source '\(source)'")
            }
        }
        guard let data = try? JSONSerialization.data(withJSONObject: object), let line = String(data: data, encoding: .utf8) else {
            return Item(position: position, problem: "not a JSON object")
        }
        return Item(position: position, line: line)
    }
}
