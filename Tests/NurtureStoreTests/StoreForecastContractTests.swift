import Foundation
import NurtureCore
import NurtureStore
import NurtureTestSupport
import Testing

/// What the forecast and the export read and keep, on SQLite and on PostgreSQL alike: the live
/// pipeline page by page, the last forecast's summary, and the recorded history lead by lead. Part
/// of the serialized store suite (see `StoreContractTests`).
extension StoreContractTests {
    @Test("every stored lead is read once, in id order across pages, with its unprocessed inbox in order", arguments: StoreBackEnd.inUse)
    func storedLeadsPageByPage(_ backEnd: StoreBackEnd) throws {
        let opened = try backEnd.open()
        let store = opened.store
        let count = 2_345
        _ = try store.upsert((1...count).map(Self.lead))
        _ = try store.append([
            InboxItem(id: "later", leadID: "C-7", at: Self.t.addingTimeInterval(86_400), payload: .enroll(sequence: "welcome")),
            InboxItem(id: "first", leadID: "C-7", at: Self.t, payload: .event(kind: "email_open", category: nil, sequence: nil, step: nil)),
            InboxItem(id: "done", leadID: "C-2000", at: Self.t, payload: .enroll(sequence: "welcome")),
        ])
        _ = try store.claimDueLeads(now: Self.t, limit: 10_000, leaseUntil: Self.t.addingTimeInterval(60))
        try store.commit([Self.update(2000, processed: ["done"])], now: Self.t)

        var ids: [String] = [], inboxes: [String: [String]] = [:], states = 0
        try store.forEachStoredLead { stored in
            ids.append(stored.id)
            if !stored.inbox.isEmpty { inboxes[stored.id] = stored.inbox.map(\.id) }
            let (lead, state) = try stored.decoded()
            #expect(lead.id == stored.id)
            if state != nil { states += 1 }
        }
        #expect(ids.count == count)
        #expect(ids == ids.sorted() && Set(ids).count == count, "each lead once, in id order")
        #expect(inboxes == ["C-7": ["first", "later"]], "processed items are left out")
        #expect(states == 1, "only C-2000 has an engine state")
    }

    @Test("the last forecast's summary replaces the one before and reads back with its flagged days in order",
          arguments: StoreBackEnd.inUse)
    func forecastSummaries(_ backEnd: StoreBackEnd) throws {
        let opened = try backEnd.open()
        let store = opened.store
        #expect(try store.lastForecast() == nil)
        let first = ForecastSummary(
            madeAt: Self.t, days: 14, runs: 20, seed: -3, leads: 1_200,
            flags: [.init(date: "2026-03-04", rep: "ben@example.com", load: 7, capacity: 5, chance: 0.85),
                    .init(date: "2026-03-03", rep: "ana@example.com", load: 6, capacity: 4, chance: 0.6)])
        try store.recordForecast(first)
        var expected = first
        expected.flags.reverse()
        #expect(try store.lastForecast() == expected)
        let second = ForecastSummary(madeAt: Self.t.addingTimeInterval(3600), days: 7, runs: 5, seed: 9, leads: 10, flags: [])
        try store.recordForecast(second)
        #expect(try store.lastForecast() == second)
        #expect(try opened.another().lastForecast() == second, "kept in the store, not the handle")
    }

    @Test("the recorded history comes lead by lead, by time: sends, prospects' events and hand-offs, not the program's own items",
          arguments: StoreBackEnd.inUse)
    func historyForExport(_ backEnd: StoreBackEnd) throws {
        let opened = try backEnd.open()
        let store = opened.store
        // 1,500 leads: C-999 comes after the first page of 1,000 ids in their order (C-1, C-10, C-100...).
        _ = try store.upsert((1...1_500).map(Self.lead))
        try store.commit([Self.update(1, sends: [Self.send(1)])], now: Self.t)
        _ = try store.claimDueSends(now: Self.t, limit: 10, leaseUntil: Self.t.addingTimeInterval(60))
        try store.record(.sent(messageID: "<m@x>", code: 250, text: "OK"), for: Self.send(1).key, now: Self.t.addingTimeInterval(10))
        _ = try store.append([
            InboxItem(id: "open", leadID: "C-1", at: Self.t.addingTimeInterval(100),
                      payload: .event(kind: "email_open", category: "machine", sequence: "welcome", step: "intro")),
            InboxItem(id: "reply", leadID: "C-2", at: Self.t.addingTimeInterval(50),
                      payload: .event(kind: "reply", category: nil, sequence: nil, step: nil)),
            InboxItem(id: "enroll", leadID: "C-3", at: Self.t, payload: .enroll(sequence: "welcome")),
            InboxItem(id: "click", leadID: "C-999", at: Self.t.addingTimeInterval(5),
                      payload: .event(kind: "email_click", category: nil, sequence: "welcome", step: "intro")),
        ])
        var handOff = Self.update(1)
        handOff.handOffs = [NewHandOff(HandOff(rep: Self.rep, reason: "score", sequence: nil, score: 90, grade: "A", due: nil,
                                               at: Self.t.addingTimeInterval(200)), summary: nil, definitionsVersion: 1)]
        try store.commit([handOff], now: Self.t)

        var batches: [[String]] = []
        try store.eachHistoryEntry { batch in
            batches.append(batch.map { "\($0.leadID) \($0.type) \($0.category ?? "-") \($0.step ?? "-") \(Int($0.at.timeIntervalSince(Self.t)))" })
        }
        #expect(batches == [
            ["C-1 email_sent - intro 10", "C-1 email_open machine intro 100", "C-1 handed_off - - 200"],
            ["C-2 reply - - 50"],
            ["C-999 email_click - intro 5"],
        ])
    }
}
