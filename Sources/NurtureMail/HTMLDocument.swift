/// The HTML part: the rendered Markdown in a small, mail-client-safe document, with the preheader
/// (the preview line inboxes show) hidden at the top.
public enum HTMLDocument {
    static func wrap(body: String, subject: String, preheader: String?) -> String {
        let hidden = preheader.map {
            "<div style=\"display:none;max-height:0;overflow:hidden\">\($0)</div>\n"
        } ?? ""
        return """
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><title>\(subject)</title></head>
            <body style="font-family:Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5;color:#222">
            \(hidden)\(body)
            </body></html>
            """
    }

    public static func escape(_ text: String) -> String {
        var result = ""
        appendEscaped(text, to: &result)
        return result
    }

    /// Appends `text` HTML-escaped, exactly as the Mustache renderer escapes values: `&`, `<`,
    /// `>`, `"` and `'`. Most values have none of them and are appended whole.
    static func appendEscaped(_ text: String, to result: inout String) {
        let needsEscaping = text.utf8.contains { byte in
            switch byte {
            case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"), UInt8(ascii: "\""), UInt8(ascii: "'"): true
            default: false
            }
        }
        guard needsEscaping else { return result += text }
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
    }
}
