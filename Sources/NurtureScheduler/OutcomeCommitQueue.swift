/// Who commits which outcomes, and who is woken, as the relay connections hand theirs over: the
/// decisions of `OutcomeCommit`, without its threads or its store, so that they can be checked
/// under any interleaving.
///
/// At most one batch is committed at a time, and a batch is always committed by the owner of its
/// first outcome. An outcome handed over while no commit is under way is a batch of its own, and
/// its owner commits it at once. One handed over during a commit is queued; when that commit
/// ends, the batch's other owners are woken with their results, and the whole queue becomes the
/// next batch, whose first owner is woken to commit it. So every outcome handed over is in exactly
/// one batch, and its owner is woken exactly once (or not at all when it commits its own batch
/// from the start), whatever the order of hand-overs and commits and whether a commit failed: a
/// failure changes the results handed out, never who is woken.
struct OutcomeCommitQueue<Ticket: Sendable>: Sendable {
    /// Outcomes handed over during the commit under way, in order.
    private(set) var queued: [Ticket] = []
    /// The batch being committed, if any.
    private(set) var committing: [Ticket]?

    /// What the owner of a newly handed-over outcome does.
    enum Turn {
        /// Commit this batch (the outcome alone), then `finish()`.
        case commit([Ticket])
        /// Wait to be woken: with a result, or to commit a batch.
        case wait
    }

    /// What follows the end of a commit.
    struct Finish {
        /// Owners to wake with their results: the batch's, but its committer's.
        var resume: [Ticket]
        /// The next batch, if outcomes were queued meanwhile: its first owner is woken to commit it.
        var next: [Ticket]?
    }

    init() {}

    /// One outcome handed over by its owner.
    mutating func submit(_ ticket: Ticket) -> Turn {
        guard committing == nil else {
            queued.append(ticket)
            return .wait
        }
        committing = [ticket]
        return .commit([ticket])
    }

    /// The batch under way was committed, or failed; nil when no batch is under way (a caller's
    /// mistake, answered with nothing to do rather than a wake-up for someone).
    mutating func finish() -> Finish? {
        guard let batch = committing else { return nil }
        let next = queued.isEmpty ? nil : queued
        committing = next
        queued = []
        return Finish(resume: Array(batch.dropFirst()), next: next)
    }
}
