import Foundation

/// The value a rep put on a deal when qualifying or winning it, kept exactly as recorded: an
/// amount in hundredths (an integer, so sums never drift) and its ISO 4217 currency code.
///
/// The one check for amounts and currencies from the command line, files and the event API:
/// - an amount is a plain decimal, more than 0, with at most 12 digits before the point and 2
///   after (`48000`, `48000.50`), so the largest is 999,999,999,999.99 and a total of
///   90,000 of the largest still fits in 64 bits;
/// - a currency is three uppercase letters (`USD`, `EUR`).
public struct DealValue: Hashable, Sendable, Codable, CustomStringConvertible {
    public var hundredths: Int64
    public var currency: String

    public static let maxIntegerDigits = 12
    public static let maxFractionDigits = 2
    /// The actions that may carry a value: pipeline when qualified, revenue when won.
    public static let verbs: Set<String> = ["qualify", "won"]

    public init(hundredths: Int64, currency: String) {
        self.hundredths = hundredths
        self.currency = currency
    }

    /// Parses an amount and a currency, or says what is wrong with them.
    public static func parse(amount: String, currency: String) -> Result<DealValue, DealValueProblem> {
        // A refused value is echoed in the message, cut short: a megabyte of digits is not repeated.
        func shown(_ text: String) -> String { text.count > 24 ? text.prefix(24) + "..." : text }
        let parts = amount.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0], fraction = parts.count > 1 ? parts[1] : ""
        func digits(_ text: Substring) -> Bool { text.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }
        guard !whole.isEmpty, digits(whole), digits(fraction), parts.count == 1 || !fraction.isEmpty else {
            return .failure(.init(field: "amount", message: "amount '\(shown(amount))' is not a plain decimal such as 48000 or 48000.50"))
        }
        guard whole.count <= maxIntegerDigits, fraction.count <= maxFractionDigits else {
            return .failure(.init(
                field: "amount",
                message: "amount '\(shown(amount))' has more than \(maxIntegerDigits) digits before the point or \(maxFractionDigits) after"))
        }
        let hundredths = Int64(whole)! * 100 + Int64(fraction.padding(toLength: 2, withPad: "0", startingAt: 0))!
        guard hundredths > 0 else { return .failure(.init(field: "amount", message: "amount must be more than 0")) }
        guard currency.utf8.count == 3, currency.utf8.allSatisfy({ $0 >= 65 && $0 <= 90 }) else {
            return .failure(.init(field: "currency", message: "currency '\(shown(currency))' is not an ISO 4217 code of three uppercase letters, e.g. USD"))
        }
        return .success(DealValue(hundredths: hundredths, currency: currency))
    }

    /// The amount as written back: `48000` or `48000.50`.
    public var amountText: String {
        let cents = hundredths % 100
        return cents == 0 ? "\(hundredths / 100)" : "\(hundredths / 100).\(cents < 10 ? "0" : "")\(cents)"
    }

    public var description: String { "\(amountText) \(currency)" }
}

/// Why an amount or a currency was refused, with the field it is in.
public struct DealValueProblem: Error, Hashable, Sendable {
    public var field: String
    public var message: String
}
