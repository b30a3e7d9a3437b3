@testable import NurtureSMTP
import Testing

/// Which of the relay's reply lines a result quotes: the last one with the result's code.
struct ReplyTextTests {
    static let cases: [(replies: String, code: Int, text: String)] = [
        ("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 End data\r\n250 2.0.0 Ok: queued as 4F1A2\r\n", 250, "2.0.0 Ok: queued as 4F1A2"),
        ("250-first line\r\n250 last line  \r\n", 250, "last line"),
        ("250 2.0.0 Ok – queued\r\n", 250, "2.0.0 Ok – queued"),
        ("250 2.1.0 Ok\r\n550 5.1.1 User unknown\r\n221 2.0.0 Bye\r\n", 550, "5.1.1 User unknown"),
        ("250\r\n", 250, ""),
        ("421 Service closing\n", 0, "421 Service closing"),
        ("", 250, ""),
    ]

    @Test("the quoted reply line", arguments: cases.indices)
    func quotedLine(_ index: Int) {
        let (replies, code, text) = Self.cases[index]
        #expect(SMTPConnection.reply(coded: code, in: Array(replies.utf8)) == text)
    }
}
