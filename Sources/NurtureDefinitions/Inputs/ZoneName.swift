import Foundation

/// Time zones as definitions and lead files name them: IANA names such as `Europe/Berlin`, or
/// `UTC`. Abbreviations (`EST`, `IST`) are refused: they are ambiguous.
enum ZoneName {
    static func zone(named name: String) -> TimeZone? {
        guard name.contains("/") || name == "UTC" else { return nil }
        return TimeZone(identifier: name)
    }
}
