import Foundation
import NurtureCore
import NurturePostgres
import NurtureStore
import NurtureTestSupport
import Testing

/// What every store must do behind `SchedulerStore`, on SQLite and on PostgreSQL alike: claims,
/// leases and their reaper, commits, the outbox, suppressions and duplicate sends.
///
/// One case at a time, and every test that waits on PostgreSQL belongs here: a synchronous store
/// call holds one of Swift's shared threads while it waits, and with several cases waiting at once
/// on a two-core machine the driver's own work was seen to starve.
@Suite(.serialized)
struct StoreContractTests {
    static let t = utc(2026, 3, 2, 9)

    static func lead(_ number: Int) -> Lead {
        Lead(id: "C-\(number)", email: "c\(number)@example.org", timeZone: TimeZone(identifier: "UTC"), stage: "lead", attributes: [:])
    }

    static func state(wake: Date?) -> LeadState {
        var state = LeadState(stage: "lead", score: Score(at: t), fitPoints: 10, grade: "B")
        if let wake {
            var enrollment = Enrollment(sequence: "welcome", enrolledAt: t)
            enrollment.wakeAt = wake
            state.enrollments = [enrollment]
        }
        return state
    }

    static let rep = Rep(name: "Dana Reyes", email: "Dana@Vendor.example")

    static func send(_ lead: Int, step: String = "intro", due: Date = t) -> QueuedSend {
        QueuedSend.stored(
            key: QueuedSend.key(leadID: "C-\(lead)", sequence: "welcome", enrolledAt: t, step: step), leadID: "C-\(lead)",
            sequence: "welcome", step: step, template: "welcome-\(step)", enrolledAt: t, dueAt: due, from: rep, replyTo: nil,
            status: .pending, attempts: 0, firstAttemptAt: nil)
    }

    static func update(_ lead: Int, sends: [QueuedSend] = [], wake: Date? = nil, processed: [String] = [],
                       suppression: (email: String, reason: String)? = nil, audit: [String] = []) -> LeadUpdate {
        LeadUpdate(leadID: "C-\(lead)", state: state(wake: wake), processed: processed, sends: sends, handOffs: [],
                   suppression: suppression, audit: audit)
    }

    @Test("leads are added once and updated by id; the count says how many were new", arguments: StoreBackEnd.inUse)
    func upsertCountsNewLeads(_ backEnd: StoreBackEnd) throws {
        let opened = try backEnd.open()
        let store = opened.store
        #expect(try store.upsert([Self.lead(1), Self.lead(2), Self.lead(1)]) == 2)
        var changed = Self.lead(2)
        changed.email = "new@example.org"
        #expect(try store.upsert([changed, Self.lead(3)]) == 1)
        #expect(try store.lead("C-2")?.0.email == "new@example.org")
        #expect(try store.status(now: Self.t, dayStart: Self.t).leads == 3)
        #expect(try store.leadID(for: "NEW@example.org") == "C-2")
    }

    @Test("a lead leased by a process that died is due again when its lease runs out, not before", arguments: StoreBackEnd.inUse)
    func leasedLeadIsDueWhenTheLeaseEnds(_ backEnd: StoreBackEnd) throws {
        let opened = try backEnd.open()
        let store = opened.store
        _ = try store.upsert([Self.lead(1), Self.lead(2)])
        #expect(try store.append([InboxItem(id: "e-1", leadID: "C-1", at: Self.t, payload: .enroll(sequence: "welcome"))]) == 1)
        #expect(try store.append([InboxItem(id: "e-1", leadID: "C-1", at: Self.t, payload: .enroll(sequence: "welcome"))]) == 0)
        #expect(try store.nextDue() == Self.t)

        let claimed = try store.claimDueLeads(now: Self.t, limit: 10, leaseUntil: Self.t.addingTimeInterval(120))
        #expect(claimed.map(\.lead.id) == ["C-1"])
        #expect(claimed.first?.inbox.map(\.id) == ["e-1"])
        #expect(try store.nextDue() == Self.t.addingTimeInterval(120))
        #expect(try store.claimDueLeads(now: Self.t.addingTimeInterval(60), limit: 10, leaseUntil: Self.t.addingTimeInterval(180)).isEmpty)

        _ = try store.append([InboxItem(id: "e-2", leadID: "C-2", at: Self.t.addingTimeInterval(30), payload: .enroll(sequence: "welcome"))])
        #expect(try store.nextDue() == Self.t.addingTimeInterval(30))

        let again = try store.claimDueLeads(now: Self.t.addingTimeInterval(121), limit: 10, leaseUntil: Self.t.addingTimeInterval(241))
        #expect(Set(again.map(\.lead.id)) == ["C-1", "C-2"])
        #expect(again.first { $0.lead.id == "C-1" }?.inbox.map(\.id) == ["e-1"])
    }

    @Test("a commit keeps the state, releases the lease, marks the inbox read and makes the lead due at its next wake",
          arguments: StoreBackEnd.inUse)
    func commitWritesBack(_ backEnd: StoreBackEnd) throws {
        let opened = try backEnd.open()
        let store = opened.store
        _ = try store.upsert([Self.lead(1)])
        _ = try store.append([InboxItem(id: "e-1", leadID: "C-1", at: Self.t, payload: .enroll(sequence: "welcome"))])
        _ = try store.claimDueLeads(now: Self.t, limit: 10, leaseUntil: Self.t.addingTimeInterval(600))
        let wake = Self.t.addingTimeInterval(3600)
        try store.commit([Self.update(1, wake: wake, processed: ["e-1"], audit: ["enrolled in welcome"])], now: Self.t)

        #expect(try store.lead("C-1")?.1 == Self.state(wake: wake))
        #expect(try store.nextDue() == wake)
        #expect(try store.claimDueLeads(now: wake.addingTimeInterval(-1), limit: 10, leaseUntil: wake).isEmpty)
        let woken = try store.claimDueLeads(now: wake, limit: 10, leaseUntil: wake.addingTimeInterval(60))
        #expect(woken.map(\.lead.id) == ["C-1"])
        #expect(woken.first?.inbox.isEmpty == true, "a processed item is not handed over again")
    }

    @Test("claimed sends are leased and marked as being sent; a sent one leaves the queue", arguments: StoreBackEnd.inUse)
    func sendsAreClaimedAndRecorded(_ backEnd: StoreBackEnd) throws {
        let opened = try backEnd.open()
        let store = opened.store
        _ = try store.upsert([Self.lead(1), Self.lead(2)])
        let later = Self.t.addingTimeInterval(3600)
        try store.commit([Self.update(1, sends: [Self.send(1)]), Self.update(2, sends: [Self.send(2, due: later)])], now: Self.t)
        #expect(try store.status(now: Self.t, dayStart: Self.t).queued == 2)
        #expect(try store.status(now: Self.t, dayStart: Self.t).dueNow == 1)

        let claimed = try store.claimDueSends(now: Self.t, limit: 10, leaseUntil: Self.t.addingTimeInterval(300))
        #expect(claimed.map(\.key) == [Self.send(1).key])
        #expect(claimed.first?.status == .sending && claimed.first?.attempts == 1 && claimed.first?.firstAttemptAt == Self.t)
        #expect(claimed.first?.from == Self.rep && claimed.first?.template == "welcome-intro")
        #expect(try store.status(now: Self.t, dayStart: Self.t).sends == ["sending": 1, "pending": 1])
        #expect(try store.claimDueSends(now: Self.t, limit: 10, leaseUntil: Self.t.addingTimeInterval(300)).isEmpty)

        try store.record(.sent(messageID: "<m1@example.org>", code: 250, text: "OK"), for: Self.send(1).key, now: Self.t)
        let status = try store.status(now: Self.t, dayStart: Self.t)
        #expect(status.queued == 1 && status.sentToday == 1 && status.sends["sent"] == 1 && status.sends["pending"] == 1)
        #expect(try store.sentCounts(senders: ["dana@vendor.example"], since: Self.t) == ["dana@vendor.example": 1])
        #expect(try store.nextDue() == later)
        #expect(try store.claimDueSends(now: later, limit: 10, leaseUntil: later.addingTimeInterval(300)).map(\.key) == [Self.send(2).key])
    }

    @Test("the same send queued twice (a pass run again after a crash) is one row, claimed once", arguments: StoreBackEnd.inUse)
    func duplicateEnqueueKeepsOneRow(_ backEnd: StoreBackEnd) throws {
        let opened = try backEnd.open()
        let store = opened.store
        _ = try store.upsert([Self.lead(1)])
        try store.commit([Self.update(1, sends: [Self.send(1)])], now: Self.t)
        try store.commit([Self.update(1, sends: [Self.send(1)])], now: Self.t)
        try store.commit([Self.update(1, sends: [Self.send(1), Self.send(1)])], now: Self.t)
        #expect(try store.status(now: Self.t, dayStart: Self.t).queued == 1)
        #expect(try store.claimDueSends(now: Self.t, limit: 10, leaseUntil: Self.t.addingTimeInterval(60)).count == 1)
        // Queued again once sent: still the one row, not sent again.
        try store.record(.sent(messageID: "<m@x>", code: 250, text: "OK"), for: Self.send(1).key, now: Self.t)
        try store.commit([Self.update(1, sends: [Self.send(1)])], now: Self.t)
        #expect(try store.claimDueSends(now: Self.t, limit: 10, leaseUntil: Self.t.addingTimeInterval(60)).isEmpty)
        #expect(try store.status(now: Self.t, dayStart: Self.t).sends == ["sent": 1])
    }

    @Test("a send whose lease ran out is put back by the reaper and claimed again, its attempt counted", arguments: StoreBackEnd.inUse)
    func expiredSendLeasesAreRescued(_ backEnd: StoreBackEnd) throws {
        let opened = try backEnd.open()
        let store = opened.store
        _ = try store.upsert([Self.lead(1)])
        try store.commit([Self.update(1, sends: [Self.send(1)])], now: Self.t)
        let lease = Self.t.addingTimeInterval(300)
        _ = try store.claimDueSends(now: Self.t, limit: 10, leaseUntil: lease)
        #expect(try store.rescueExpiredSends(now: lease.addingTimeInterval(-1)) == 0)
        #expect(try store.nextDue() == lease)
        #expect(try store.rescueExpiredSends(now: lease.addingTimeInterval(1)) == 1)
        let again = try store.claimDueSends(now: lease.addingTimeInterval(1), limit: 10, leaseUntil: lease.addingTimeInterval(301))
        #expect(again.map(\.attempts) == [2])
        #expect(again.first?.firstAttemptAt == Self.t)
    }

    @Test("a retried send waits for its retry time; a deferred one does not count as an attempt", arguments: StoreBackEnd.inUse)
    func retriesAndDeferrals(_ backEnd: StoreBackEnd) throws {
        let opened = try backEnd.open()
        let store = opened.store
        _ = try store.upsert([Self.lead(1)])
        try store.commit([Self.update(1, sends: [Self.send(1)])], now: Self.t)
        let key = Self.send(1).key
        _ = try store.claimDueSends(now: Self.t, limit: 10, leaseUntil: Self.t.addingTimeInterval(60))
        let retryAt = Self.t.addingTimeInterval(600)
        try store.record(.retry(at: retryAt, code: 451, text: "try later"), for: key, now: Self.t)
        #expect(try store.claimDueSends(now: retryAt.addingTimeInterval(-1), limit: 10, leaseUntil: retryAt).isEmpty)
        #expect(try store.nextDue() == retryAt)
        let retried = try store.claimDueSends(now: retryAt, limit: 10, leaseUntil: retryAt.addingTimeInterval(60))
        #expect(retried.map(\.attempts) == [2])
        let windowOpens = retryAt.addingTimeInterval(3600)
        try store.record(.deferred(until: windowOpens, reason: "outside the send window"), for: key, now: retryAt)
        #expect(try store.claimDueSends(now: windowOpens, limit: 10, leaseUntil: windowOpens.addingTimeInterval(60)).map(\.attempts) == [2])
    }

    @Test("a hard bounce suppresses the address and tells the engine; suppressions are by address, any case", arguments: StoreBackEnd.inUse)
    func suppressions(_ backEnd: StoreBackEnd) throws {
        let opened = try backEnd.open()
        let store = opened.store
        _ = try store.upsert([Self.lead(1), Self.lead(2), Self.lead(3)])
        try store.commit([Self.update(1, sends: [Self.send(1)]), Self.update(2, suppression: (email: "C2@Example.org", reason: "unsubscribe"))],
                         now: Self.t)
        _ = try store.claimDueSends(now: Self.t, limit: 10, leaseUntil: Self.t.addingTimeInterval(60))
        try store.record(.failed(code: 550, text: "no such user", suppress: true), for: Self.send(1).key, now: Self.t)

        // The same address in capitals, imported later: suppressed too.
        var shouting = Self.lead(4)
        shouting.email = "C2@EXAMPLE.ORG"
        _ = try store.upsert([shouting])

        let seen = try store.leadsForSending(["C-1", "C-2", "C-3", "C-4", "C-404"])
        #expect(Set(seen.keys) == ["C-1", "C-2", "C-3", "C-4"])
        #expect(seen["C-1"]?.suppressed == true && seen["C-2"]?.suppressed == true && seen["C-3"]?.suppressed == false)
        #expect(seen["C-4"]?.suppressed == true, "suppressions match whatever the address's case")
        let status = try store.status(now: Self.t, dayStart: Self.t)
        #expect(status.suppressed == 2 && status.failed == 1 && status.queued == 0)
        // The engine hears that the send was never accepted.
        let claimed = try store.claimDueLeads(now: Self.t, limit: 10, leaseUntil: Self.t.addingTimeInterval(60))
        #expect(claimed.first { $0.lead.id == "C-1" }?.inbox.map(\.id) == ["undelivered|\(Self.send(1).key)"])
    }

    @Test("two stores claiming the same queue at once never take the same send", arguments: StoreBackEnd.inUse)
    func concurrentClaimsAreDisjoint(_ backEnd: StoreBackEnd) throws {
        let opened = try backEnd.open()
        let leads = 200
        _ = try opened.store.upsert((1...leads).map(Self.lead))
        try opened.store.commit((1...leads).map { Self.update($0, sends: [Self.send($0), Self.send($0, step: "follow-up")]) }, now: Self.t)
        let workers = [opened.store, try opened.another(), try opened.another()]
        let claims = Claims()
        DispatchQueue.concurrentPerform(iterations: workers.count) { index in
            while true {
                guard let batch = try? workers[index].claimDueSends(now: Self.t, limit: 7, leaseUntil: Self.t.addingTimeInterval(60)),
                      !batch.isEmpty
                else { return }
                claims.add(batch.map(\.key))
            }
        }
        let keys = claims.keys
        #expect(keys.count == 2 * leads)
        #expect(Set(keys).count == keys.count, "no send claimed twice")
    }

    @Test("hand-offs and their notices written with a commit are listed, claimed once and answered", arguments: StoreBackEnd.inUse)
    func handOffsAndNotices(_ backEnd: StoreBackEnd) throws {
        let opened = try backEnd.open()
        let store = opened.store
        _ = try store.upsert([Self.lead(1)])
        let handOff = HandOff(rep: Self.rep, reason: "score 80", sequence: "welcome", score: 80, grade: "A",
                              due: Self.t.addingTimeInterval(86_400), at: Self.t)
        let notice = NewNotice(kind: .handOff, rep: Self.rep, detail: .init(message: "call them", at: Self.t), channels: [.email, .webhook],
                               handOffIndex: 0)
        var update = Self.update(1)
        update.handOffs = [NewHandOff(handOff, summary: nil, definitionsVersion: 3)]
        update.notices = [notice]
        try store.commit([update], now: Self.t)

        let listed = try store.handOffs(HandOffFilter(leadID: "C-1"), now: Self.t)
        #expect(listed.count == 1 && listed.first?.status == .open && listed.first?.leadEmail == "c1@example.org")
        #expect(try store.handOffs(HandOffFilter(status: .overdue), now: Self.t.addingTimeInterval(90_000)).count == 1)
        let notices = try store.claimDueNotices(now: Self.t, limit: 10, leaseUntil: Self.t.addingTimeInterval(60))
        #expect(Set(notices.map(\.channel)) == [.email, .webhook] && notices.allSatisfy { $0.handOffID == listed.first?.id })
        #expect(try store.claimDueNotices(now: Self.t, limit: 10, leaseUntil: Self.t.addingTimeInterval(60)).isEmpty)
        #expect(try store.rescueExpiredNotices(now: Self.t.addingTimeInterval(61)) == 2)
        for notice in try store.claimDueNotices(now: Self.t.addingTimeInterval(61), limit: 10, leaseUntil: Self.t.addingTimeInterval(120)) {
            try store.record(.sent(messageID: "", code: 250, text: "OK"), forNotice: notice.key, now: Self.t.addingTimeInterval(61))
        }
        #expect(try store.status(now: Self.t, dayStart: Self.t).undeliveredNotices == 0)

        let id = try #require(listed.first?.id)
        try store.answer(id, with: RepAction("accept"), accepted: true, touchDue: Self.t.addingTimeInterval(7200), movesLead: true,
                         at: Self.t.addingTimeInterval(100), source: "test")
        try store.touch(id, at: Self.t.addingTimeInterval(200))
        let answered = try #require(try store.handOff(id))
        #expect(answered.status == .accepted && answered.touchedAt == Self.t.addingTimeInterval(200))
        #expect(try store.hasRecorded(RepAction("accept"), leadID: "C-1", at: Self.t.addingTimeInterval(100)))
    }

    @Test("an unreachable PostgreSQL server is reported at once by its location, without the password", .enabled(if: TestPostgres.inUse))
    func unreachableServer() throws {
        let port = try Ports.free()
        let started = Date()
        #expect {
            try PostgresStore(try PostgresLocation(url: "postgres://ops:topsecret@127.0.0.1:\(port)/nurture?sslmode=disable", environment: [:]))
        } throws: { error in
            "\(error)".contains("127.0.0.1:\(port)") && !"\(error)".contains("topsecret")
        }
        #expect(Date().timeIntervalSince(started) < 20, "a wrong URL is reported at once")
    }
}

/// Keys claimed by several threads.
final class Claims: @unchecked Sendable {
    private let lock = NSLock()
    private var claimed: [String] = []

    func add(_ keys: [String]) { lock.withLock { claimed += keys } }
    var keys: [String] { lock.withLock { claimed } }
}
