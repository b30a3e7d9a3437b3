import Foundation
import NurtureCore
import NurtureMail
import NurtureOperations
import NurtureSMTP
import NurtureStore
import NurtureWebhook

/// The scheduler's side of the sales loop: summaries for new hand-offs, expiry of unanswered
/// ones, delivery of rep notices, and each sending rep's rolling send cap.
extension Scheduler {
    /// Notices claimed per pass.
    static let noticeBatch = 100

    /// Adds the engagement summary to each hand-off of a lead's update.
    func summarize(_ update: inout LeadUpdate, lead: Lead, now: Date) throws {
        let history = try store.history(of: lead.id, upTo: now)
        let request = try store.requests(leadID: lead.id, repEmail: nil, since: nil, until: nil).last { $0.status == .open }
        for index in update.handOffs.indices {
            let handOff = update.handOffs[index].handOff
            let asked = request.flatMap { $0.repEmail == handOff.rep?.email.lowercased() ? $0 : nil }
            // As the engine saw the lead when it decided: what came in later in the pass is left out.
            var summary = EngagementSummary(
                lead: lead, state: update.state, history: history, scoring: definitions.scoring, at: handOff.at,
                requestedBy: asked.map { "\($0.repName) <\($0.repEmail)>" }, requestNote: asked?.note)
            summary.score = handOff.score.rounded()
            update.handOffs[index].summary = summary
        }
    }

    /// Expires hand-offs nobody answered in time and does what the lifecycle says with each;
    /// closes requests that ran past their end date.
    func expireHandOffs(now: Date, into summary: inout PassSummary) throws {
        _ = try store.closeLapsedRequests(now: now)
        let expired = try store.expireHandOffs(now: now)
        for record in expired {
            summary.expired += 1
            switch definitions.lifecycle.handOffExpiry {
            case .recordOnly: break
            case let .action(action):
                try store.recordAction(action, leadID: record.leadID, handOffID: record.id, at: now, source: "expiry")
            case .queue:
                // The queue's own hand-offs stay expired: sending them back to it would go round for ever.
                guard let queue = definitions.lifecycle.defaultOwner, record.repEmail != queue.email.lowercased() else { continue }
                let due = definitions.lifecycle.serviceLevel(for: definitions.lifecycle.handoffStage)?.within
                    .deadline(from: now, businessHours: definitions.lifecycle.businessHours)
                let handOff = HandOff(
                    rep: queue, reason: "expired unanswered by \(record.repEmail ?? "its rep"): \(record.reason)",
                    sequence: record.sequence, score: record.score, grade: record.grade, due: due, at: now)
                try store.addHandOffs(
                    [NewHandOff(handOff, summary: record.summary, definitionsVersion: definitions.lifecycle.version)],
                    notices: [NewNotice(kind: .handOff, rep: queue, detail: .init(sequence: record.sequence, at: now), channels: [.email], handOffIndex: 0)],
                    leadID: record.leadID, at: now)
            }
        }
    }

    /// Claims due notices, renders each for its rep and delivers it through the relay.
    func deliverNotices(into summary: inout PassSummary) async throws {
        let now = clock.now()
        _ = try store.rescueExpiredNotices(now: now)
        let notices = try store.claimDueNotices(now: now, limit: Self.noticeBatch, leaseUntil: now.addingTimeInterval(configuration.sendLease))
        guard !notices.isEmpty else { return }
        var ready: [(notice: RepNotice, email: RenderedEmail)] = []
        for notice in notices where notice.channel == .webhook {
            let outcome = await post(notice, now: now)
            try store.record(outcome, forNotice: notice.key, now: clock.now())
            if outcome.isSent { summary.notices += 1 } else { summary.count(outcome) }
        }
        for notice in notices where notice.channel == .email {
            switch prepare(notice, now: now) {
            case let .ready(email): ready.append((notice, email))
            case let .skip(outcome):
                try store.record(outcome, forNotice: notice.key, now: now)
                summary.count(outcome)
            }
        }
        guard !ready.isEmpty else { return }
        let prepared = ready
        let tally = DeliveryTally()
        let messages = prepared.map { OutgoingMessage(from: $0.email.envelopeFrom, recipients: [$0.email.recipient], bytes: $0.email.bytes) }
        await sender.send(messages) { index, result in
            let (notice, email) = prepared[index]
            let outcome = self.outcome(of: result, attempts: notice.attempts, firstAttempt: notice.firstAttemptAt, key: notice.key,
                                       messageID: email.messageID)
            do {
                try self.store.record(outcome, forNotice: notice.key, now: self.clock.now())
            } catch {
                self.logger.error("could not record notice \(notice.key): \(error)")
            }
            tally.summary.withLock { summary in
                if outcome.isSent { summary.notices += 1 } else { summary.count(outcome) }
            }
            if result.outcome == .configuration { tally.stoppedBy.withLock { $0 = $0 ?? result } }
        }
        summary.add(tally.summary.withLock { $0 })
        if let result = tally.stoppedBy.withLock({ $0 }) {
            logger.critical("sending stopped: \(result)")
            throw ConfigurationError(result: result)
        }
    }

    /// Posts a notice to the lifecycle's webhook, signed, off the cooperative threads (libcurl
    /// blocks), and says what became of it.
    func post(_ notice: RepNotice, now: Date) async -> SendOutcome {
        let lifecycle = definitions.lifecycle
        guard let url = lifecycle.notices.webhook, let secret = configuration.webhookSecret else {
            return .failed(code: 0, text: "no webhook or no webhook secret configured", suppress: false)
        }
        guard let (lead, state) = try? store.lead(notice.leadID) else { return .cancelled(reason: "lead deleted") }
        let handOff = notice.handOffID.flatMap { try? store.handOff($0) }
        let content = NoticeContent(notice: notice, lead: lead, state: state, handOff: handOff, lifecycle: lifecycle)
        guard let body = try? Array(content.json()) else { return .failed(code: 0, text: "cannot encode the notice", suppress: false) }
        let headers = [
            "Content-Type: application/json",
            "User-Agent: Nurture",
            // The notice's key: a receiver that sees it twice (a retry after a lost answer) can drop the repeat.
            "X-Nurture-Delivery: \(WebhookSignature.deliveryID(notice.key))",
            "\(WebhookSignature.header): \(WebhookSignature.value(body: body, secret: secret, timestamp: Int64(now.timeIntervalSince1970)))",
        ]
        let poster = WebhookPoster()
        let response = await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: poster.post(url: url, body: body, headers: headers)) }
        }
        let text = response.error ?? "HTTP \(response.status)"
        switch WebhookOutcome.of(response) {
        case .delivered: return .sent(messageID: notice.key, code: response.status, text: text)
        case .permanent: return .failed(code: response.status, text: "the webhook refused it: \(text)", suppress: false)
        case .transient:
            let first = notice.firstAttemptAt ?? now
            if configuration.retry.givesUp(firstAttempt: first, now: clock.now()) {
                return .failed(code: response.status, text: "gave up after \(notice.attempts) attempts: \(text)", suppress: false)
            }
            let delay = configuration.retry.delay(afterAttempt: notice.attempts, key: notice.key)
            return .retry(at: clock.now().addingTimeInterval(delay), code: response.status, text: text)
        }
    }

    /// The notice as an email to its rep, or why it cannot be sent.
    func prepare(_ notice: RepNotice, now: Date) -> Preparation {
        let lifecycle = definitions.lifecycle
        guard let (lead, state) = try? store.lead(notice.leadID) else { return .skip(.cancelled(reason: "lead deleted")) }
        let handOff = notice.handOffID.flatMap { try? store.handOff($0) }
        let name = NoticeContent.templateName(for: notice.kind)
        guard let template = definitions.templates[name] else {
            return .skip(.failed(code: 0, text: "no template templates/\(name).md in the definitions", suppress: false))
        }
        guard let from = lifecycle.notices.from ?? lifecycle.defaultOwner else {
            return .skip(.failed(code: 0, text: "no sender for rep notices: set notices.from or default_owner in lifecycle.yml", suppress: false))
        }
        let content = NoticeContent(notice: notice, lead: lead, state: state, handOff: handOff, lifecycle: lifecycle)
        let to = Rep(name: notice.repName ?? notice.repEmail, email: notice.repEmail)
        let request = NoticeRenderer.Request(
            template: template, fields: content.fields, from: from, to: to, key: notice.key, date: now,
            domain: configuration.messageDomain ?? MessageRequest.domain(of: from))
        do {
            return .ready(try NoticeRenderer.render(request))
        } catch {
            return .skip(.failed(code: 0, text: "cannot render: \(error)", suppress: false))
        }
    }

    /// The claimed sends that their rep's rolling 24-hour cap allows now; the others wait an hour
    /// without using an attempt. Only sends from the lead's own rep (`sender: owner`) count: a
    /// marketing sender's volume is the relay's business.
    func holdingRepCaps(_ sends: [QueuedSend], now: Date, into summary: inout PassSummary) throws -> [QueuedSend] {
        let capped = sends.filter { send in
            send.from != nil && definitions.sequences[send.sequence].map { $0.sender == .owner } ?? false
        }
        guard !capped.isEmpty else { return sends }
        var counts = try store.sentCounts(senders: capped.compactMap { $0.from?.email }, since: now.addingTimeInterval(-86_400))
        let cap = definitions.lifecycle.repSendCap
        var allowed: [QueuedSend] = []
        for send in sends {
            guard let sender = send.from?.email.lowercased(), capped.contains(send) else {
                allowed.append(send)
                continue
            }
            if counts[sender, default: 0] >= cap {
                let outcome = SendOutcome.deferred(
                    until: now.addingTimeInterval(3_600), reason: "\(sender) reached its cap of \(cap) emails in 24 hours")
                try store.record(outcome, for: send.key, now: now)
                summary.count(outcome)
            } else {
                counts[sender, default: 0] += 1
                allowed.append(send)
            }
        }
        return allowed
    }
}

extension SendOutcome {
    var isSent: Bool {
        if case .sent = self { return true }
        return false
    }
}
