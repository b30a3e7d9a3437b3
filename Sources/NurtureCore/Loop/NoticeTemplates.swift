/// The templates rep notices are written with, under `templates/rep/`, and the fields each may
/// use. One list: the definitions check templates against it, and the notices fill exactly these.
public enum NoticeTemplates {
    public enum Kind: String, CaseIterable, Sendable {
        case handOff = "hand-off"
        case notification
        case task
    }

    /// `rep/hand-off`, as steps name templates.
    public static func name(_ kind: Kind) -> String { "rep/\(kind.rawValue)" }

    /// Fields every notice has.
    public static let common = [
        "lead.name", "lead.email", "lead.id", "lead.company", "lead.title", "lead.stage", "rep.name", "rep.first_name", "rep.email",
    ]

    /// The fields a template of `kind` may use.
    public static func fields(_ kind: Kind) -> [String] {
        switch kind {
        case .handOff:
            common + [
                "handoff.id", "handoff.reason", "handoff.score", "handoff.grade", "handoff.due", "handoff.sequence", "handoff.routing", "sla.promise",
                "answer.accept", "answer.reject", "answer.reasons", "summary.score", "summary.grade", "summary.stage",
                "summary.reasons", "summary.moments", "summary.emails", "summary.pages", "summary.content", "summary.sequences",
                "summary.requested",
            ]
        case .notification: common + ["message", "sequence"]
        case .task: common + ["task.title", "task.due", "sequence"]
        }
    }
}
