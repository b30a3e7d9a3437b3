import NurtureBasics

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

    /// `text` escaped as the Mustache renderer escapes values (see `HTMLEscaping`).
    public static func escape(_ text: String) -> String {
        var result = ""
        HTMLEscaping.appendMailValue(text, to: &result)
        return result
    }
}
