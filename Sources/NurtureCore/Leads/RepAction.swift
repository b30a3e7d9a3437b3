import Foundation

/// What a rep did with a lead: `accept`, `reject(not-ready)`, `qualify`, `won`, `lost(price)`...
public struct RepAction: Hashable, Sendable, CustomStringConvertible {
    public var verb: String
    public var reason: String?

    public init(_ verb: String, reason: String? = nil) {
        self.verb = verb
        self.reason = reason
    }

    /// Parses `verb` or `verb(reason)`.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let open = trimmed.firstIndex(of: "(") else {
            guard RepAction.isWord(trimmed) else { return nil }
            self.init(trimmed)
            return
        }
        guard trimmed.hasSuffix(")") else { return nil }
        let verb = String(trimmed[..<open])
        let reason = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
        guard RepAction.isWord(verb), RepAction.isWord(reason) else { return nil }
        self.init(verb, reason: reason)
    }

    static func isWord(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
    }

    public var description: String { reason.map { "\(verb)(\($0))" } ?? verb }
}
