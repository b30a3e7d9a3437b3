/// HTML escaping, once for every page and message: `&`, `<`, `>`, `"` and `'` become entities,
/// whether they stand in text or in an attribute value.
///
/// Two ways through a text share the one table. Mail fields are escaped per character, exactly
/// as the Mustache renderer escapes the values it fills in, so that a template renders the same
/// bytes whichever of the two fills it. Report pages (HTML with inline SVG, read as XML by
/// browsers for the SVG) are escaped per scalar, and the control characters XML forbids are
/// replaced, so that a persona name or sequence id cannot break the page.
public enum HTMLEscaping {
    /// The entity for a scalar that must be escaped, or nil.
    static func entity(for scalar: Unicode.Scalar) -> String? {
        switch scalar {
        case "&": "&amp;"
        case "<": "&lt;"
        case ">": "&gt;"
        case "\"": "&quot;"
        case "'": "&#39;"
        default: nil
        }
    }

    /// Appends `text` escaped as the Mustache renderer escapes a value. Most values have nothing to
    /// escape and are appended whole.
    public static func appendMailValue(_ text: String, to result: inout String) {
        let needsEscaping = text.utf8.contains { byte in
            switch byte {
            case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"), UInt8(ascii: "\""), UInt8(ascii: "'"): true
            default: false
            }
        }
        guard needsEscaping else { return result += text }
        for character in text {
            // Per character, as Mustache does: a mark combined onto `<` makes another character.
            let scalars = character.unicodeScalars
            if scalars.count == 1, let entity = entity(for: scalars.first!) {
                result += entity
            } else {
                result.append(character)
            }
        }
    }

    /// `text` for a report page: the five escaped, and the control characters XML forbids
    /// (other than tab, line feed and carriage return) replaced by U+FFFD.
    public static func pageText(_ text: String) -> String {
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if let entity = entity(for: scalar) {
                result += entity
                continue
            }
            let value = scalar.value
            let forbidden = (value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r")
                || (0x7F...0x9F).contains(value) || value == 0xFFFE || value == 0xFFFF
            result.unicodeScalars.append(forbidden ? "\u{FFFD}" : scalar)
        }
        return result
    }
}
