import Foundation

/// One lead's recorded history reduced to what the mixture's likelihood needs: counts per
/// delivered email and sums of log delays. A lead's likelihood under a persona is then a handful of
/// multiplications, whatever the length of its history.
struct LeadEvidence: Sendable {
    /// Streaks of unopened emails past this are counted with it (fatigue has done its work by then).
    static let maxStreak = 15

    var firstSend: Date
    var sends = 0
    var bounced = false
    /// Human opens and misses of delivered emails, by the number of unopened emails in a row
    /// before each (what fatigue works on).
    var openedAt = [Int](repeating: 0, count: maxStreak + 1)
    var missedAt = [Int](repeating: 0, count: maxStreak + 1)
    var opened = 0
    var clicked = 0
    var replied = 0
    var unsubscribed = 0
    var machineOpens = 0
    /// Log seconds from send to human open: count, sum and sum of squares.
    var openDelay = LogSums()
    /// Log seconds from an open to the first reaction, and between reactions.
    var reactionDelay = LogSums()
    var handedOff = false
    /// Page visits, and the days the lead was watched for them (from its first event to the end of the record).
    var visits = 0
    var watchedDays = 0.0
    /// Clicks (the first of each email) by link category, visits by page category.
    var clickCategories: [String: Int] = [:]
    var pageCategories: [String: Int] = [:]
    /// Any open (a machine's too), any click: the funnel as a dry-run counts it.
    var anyOpen = false
    var anyClick = false
    /// Whether a person opened the first delivered email: the one email every lead gets, whatever
    /// made its sequence stop.
    var firstOpened = false

    var delivered: Int { bounced ? max(0, sends - 1) : sends }

    struct LogSums: Sendable {
        var count = 0.0
        var sum = 0.0
        var squares = 0.0

        /// Adds another's sums, weighed by `weight`.
        mutating func add(_ other: LogSums, weight: Double) {
            count += weight * other.count
            sum += weight * other.sum
            squares += weight * other.squares
        }

        mutating func add(seconds: Double) {
            let value = log(max(seconds, 1))
            count += 1
            sum += value
            squares += value * value
        }
    }

    /// Each lead's evidence, from its events in any order; leads with no send are left out (there
    /// is nothing a persona could explain). `until` keeps only events before that time.
    static func build(_ events: [RecordedEvent], until: Date? = nil) -> [String: LeadEvidence] {
        var byLead: [String: [RecordedEvent]] = [:]
        var last = Date.distantPast
        for event in events where until.map({ event.at < $0 }) ?? true {
            byLead[event.lead, default: []].append(event)
            last = max(last, event.at)
        }
        let end = until ?? last
        var evidence: [String: LeadEvidence] = [:]
        evidence.reserveCapacity(byLead.count)
        for (lead, list) in byLead {
            if let built = build(lead: list, end: end) { evidence[lead] = built }
        }
        return evidence
    }

    /// An email as a lead's history is read: when it went out and what came of it.
    private struct Email {
        var at: Date
        var step: String?
        var humanOpen: Date?
        var lastReaction: Date?
        var clicked = false
        var replied = false
        var unsubscribed = false
    }

    /// One lead's evidence from its events, watched for visits until `end`; nil without a send.
    static func build(lead events: [RecordedEvent], end: Date) -> LeadEvidence? {
        let sorted = events.sorted { $0.at < $1.at || ($0.at == $1.at && order($0.kind) < order($1.kind)) }
        guard let first = sorted.first(where: { $0.kind == .sent }) else { return nil }
        var evidence = LeadEvidence(firstSend: first.at)
        evidence.watchedDays = max(1.0 / 24, end.timeIntervalSince(min(first.at, sorted[0].at)) / 86_400)
        var emails: [Email] = []
        for event in sorted {
            if event.kind == .sent {
                emails.append(Email(at: event.at, step: event.step))
                evidence.sends += 1
                continue
            }
            switch event.kind {
            case .bounce: evidence.bounced = true; continue
            case .handedOff: evidence.handedOff = true; continue
            case .visit:
                evidence.visits += 1
                if let category = event.category { evidence.pageCategories[category, default: 0] += 1 }
                continue
            case .other, .sent: continue
            default: break
            }
            // The email a response answers: the latest of its step, else the latest before it.
            guard let index = emails.lastIndex(where: { event.step != nil && $0.step == event.step })
                ?? emails.indices.last else { continue }
            switch event.kind {
            case .machineOpen:
                evidence.machineOpens += 1
                evidence.anyOpen = true
            case .open:
                evidence.anyOpen = true
                guard emails[index].humanOpen == nil else { continue }
                emails[index].humanOpen = event.at
                emails[index].lastReaction = event.at
                evidence.openDelay.add(seconds: event.at.timeIntervalSince(emails[index].at))
            case .click, .reply, .unsubscribe:
                if event.kind == .click { evidence.anyClick = true }
                let already = event.kind == .click ? emails[index].clicked : event.kind == .reply ? emails[index].replied : emails[index].unsubscribed
                guard !already else { continue }
                // A reaction with no open seen (images blocked) still says a person read the email.
                if emails[index].humanOpen == nil {
                    emails[index].humanOpen = event.at
                    evidence.anyOpen = true
                } else if let last = emails[index].lastReaction {
                    evidence.reactionDelay.add(seconds: event.at.timeIntervalSince(last))
                }
                emails[index].lastReaction = event.at
                switch event.kind {
                case .click:
                    emails[index].clicked = true
                    if let category = event.category { evidence.clickCategories[category, default: 0] += 1 }
                case .reply: emails[index].replied = true
                default: emails[index].unsubscribed = true
                }
            default: continue
            }
        }
        var streak = 0
        for (number, email) in emails.enumerated() {
            // A bounce is found at the first send: that email was never delivered.
            if number == 0, evidence.bounced { continue }
            let slot = min(streak, maxStreak)
            if evidence.opened + streak == 0 { evidence.firstOpened = email.humanOpen != nil }
            if email.humanOpen != nil {
                evidence.openedAt[slot] += 1
                evidence.opened += 1
                streak = 0
                if email.clicked { evidence.clicked += 1 }
                if email.replied { evidence.replied += 1 }
                if email.unsubscribed { evidence.unsubscribed += 1 }
            } else {
                evidence.missedAt[slot] += 1
                streak += 1
            }
        }
        return evidence
    }

    /// At the same instant, a send comes before what answers it.
    private static func order(_ kind: RecordedEvent.Kind) -> Int {
        switch kind {
        case .sent: 0
        case .bounce: 1
        case .machineOpen, .open: 2
        case .click, .visit: 3
        case .reply: 4
        case .unsubscribe: 5
        case .handedOff, .other: 6
        }
    }
}
