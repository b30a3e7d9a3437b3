import PropertyBased
import Testing

@testable import NurturePostgres

/// What ends one attempt of a PostgreSQL transaction: its result, or its connection's close.
struct AttemptRaceTests {
    struct Boom: Error {}

    @Test("a result ends the attempt at once; a close afterwards changes nothing")
    func resultFirst() {
        var race = AttemptRace<Int>()
        guard case .report(.success(7)) = race.handle(.finished(.success(7))) else {
            Issue.record("the result is reported")
            return
        }
        guard case .none = race.handle(.connectionClosed), case .none = race.handle(.graceOver) else {
            Issue.record("nothing after the report")
            return
        }
    }

    @Test("a close waits a grace period; a result within it is still the one reported")
    func resultWithinGrace() {
        var race = AttemptRace<Int>()
        guard case .startGrace(let grace) = race.handle(.connectionClosed) else {
            Issue.record("the close starts the grace period")
            return
        }
        #expect(grace > .zero && grace <= .seconds(5), "short enough that a stuck worker recovers promptly")
        guard case .none = race.handle(.connectionClosed) else {
            Issue.record("a second close starts nothing")
            return
        }
        guard case .report(.failure(let error)) = race.handle(.finished(.failure(Boom()))), error is Boom else {
            Issue.record("the attempt's own error, not a lost connection")
            return
        }
        guard case .none = race.handle(.graceOver) else {
            Issue.record("the grace period ending changes nothing")
            return
        }
    }

    @Test("an attempt that never finishes after its connection closed is reported as a lost connection")
    func stuckAttempt() {
        var race = AttemptRace<Int>()
        _ = race.handle(.connectionClosed)
        guard case .report(.failure(let error)) = race.handle(.graceOver) else {
            Issue.record("the grace period ending reports the attempt")
            return
        }
        #expect(error is ConnectionClosedUnderAttempt)
        #expect(PostgresStore.failure(of: error) == .connection, "TransactionRetry runs it again on a fresh connection")
        guard case .none = race.handle(.finished(.success(1))) else {
            Issue.record("a late result is dropped")
            return
        }
    }

    @Test("a grace period that ends before any close does nothing")
    func graceWithoutClose() {
        var race = AttemptRace<Int>()
        guard case .none = race.handle(.graceOver), case .report(.success(3)) = race.handle(.finished(.success(3))) else {
            Issue.record("only the result ends a running attempt")
            return
        }
    }

    @Test("whatever the order of events, the attempt is reported exactly once, and a result before the grace ends wins")
    func reportedOnce() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...2).array(of: 0...12)) { events in
            var race = AttemptRace<Int>()
            var reports: [Result<Int, any Error>] = []
            var closed = false, graceOver = false
            for code in events + [0] {
                let event: AttemptRace<Int>.Event =
                    switch code {
                    case 0: .finished(.success(1))
                    case 1: .connectionClosed
                    default: .graceOver
                    }
                let pendingAfterClose = closed && reports.isEmpty
                switch race.handle(event) {
                case .report(let result): reports.append(result)
                case .startGrace:
                    #expect(!closed, "the grace period starts once, at the first close")
                    closed = true
                case .none: break
                }
                if code == 2, pendingAfterClose { graceOver = true }
            }
            #expect(reports.count == 1)
            if case .success = reports.first { #expect(!graceOver) } else { #expect(graceOver) }
        }
    }
}
