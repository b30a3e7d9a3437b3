import Foundation
import NurtureCore
import NurtureDefinitions
import NurtureOperations
import NurtureStore
import NurtureTestSupport
import Testing

/// Deal values on outcomes: checked in one place, refused with the reason and where, and kept as recorded.
@Suite("Deal values")
struct DealValueTests {
    let at = utc(2026, 3, 5, 10)

    @Test(arguments: [
        ("0", "USD", "more than 0"), ("0.00", "USD", "more than 0"), ("-5", "USD", "not a plain decimal"),
        ("4.8e4", "USD", "not a plain decimal"), ("12.345", "USD", "2 after"), ("1234567890123", "USD", "12 digits before"),
        ("", "USD", "not a plain decimal"), ("48000.", "USD", "not a plain decimal"), ("48 000", "USD", "not a plain decimal"),
        ("48000", "usd", "ISO 4217"), ("48000", "US", "ISO 4217"), ("48000", "EURO", "ISO 4217"), ("48000", "ÜSD", "ISO 4217"),
    ])
    func refused(amount: String, currency: String, expected: String) {
        guard case let .failure(problem) = DealValue.parse(amount: amount, currency: currency) else {
            Issue.record("\(amount) \(currency) was accepted")
            return
        }
        #expect(problem.message.contains(expected), "\(problem.message)")
    }

    @Test func aHugeValueIsNotEchoedWhole() {
        guard case let .failure(problem) = DealValue.parse(amount: String(repeating: "9", count: 100_000), currency: "USD") else {
            Issue.record("accepted")
            return
        }
        #expect(problem.message.count < 200, "\(problem.message.prefix(300))")
    }

    @Test func aJSONLinesRowMayGiveTheAmountAsANumber() {
        let intake = EventLog.intake(
            text: #"{"at": "2026-03-05T10:00:00Z", "type": "rep_action", "lead": "L-1", "action": "won", "amount": 48000.5, "currency": "USD"}"#,
            name: "api")
        #expect(intake.diagnostics.errors.isEmpty, "\(intake.diagnostics.errors)")
        #expect(intake.actions.map(\.value) == [DealValue(hundredths: 4_800_050, currency: "USD")])
    }

    @Test func keptExactly() throws {
        #expect(try DealValue.parse(amount: "48000", currency: "USD").get() == DealValue(hundredths: 4_800_000, currency: "USD"))
        #expect(try DealValue.parse(amount: "0.5", currency: "EUR").get() == DealValue(hundredths: 50, currency: "EUR"))
        let largest = try DealValue.parse(amount: "999999999999.99", currency: "JPY").get()
        #expect(largest.hundredths == 99_999_999_999_999 && largest.amountText == "999999999999.99")

        let fixture = try LoopFixture("nurture-deal-values")
        defer { fixture.remove() }
        _ = try fixture.store.upsert([LoopFixture.lead("L-1", stage: "opportunity")])
        let desk = HandOffDesk(store: fixture.store, lifecycle: LoopFixture.definitions.lifecycle)
        _ = try desk.outcome(lead: "L-1", action: "won", value: DealValue(hundredths: 4_800_050, currency: "USD"), at: at)
        let recorded = try fixture.store.repActions(since: nil, until: nil)
        #expect(recorded.map(\.action) == ["won"] && recorded.first?.value == DealValue(hundredths: 4_800_050, currency: "USD"))
    }

    @Test func aValueOnAnotherActionIsRefusedAndNothingChanges() throws {
        let fixture = try LoopFixture("nurture-deal-value-refusal")
        defer { fixture.remove() }
        _ = try fixture.store.upsert([LoopFixture.lead("L-1", stage: "opportunity")])
        let desk = HandOffDesk(store: fixture.store, lifecycle: LoopFixture.definitions.lifecycle)
        let before = try fixture.snapshot()
        #expect(throws: OperationError.self) {
            _ = try desk.outcome(lead: "L-1", action: "lost(no-decision)", value: DealValue(hundredths: 100, currency: "USD"), at: at)
        }
        #expect(try fixture.snapshot() == before)
    }

    @Test func badRowsInAnExportAreRefusedWithTheirField() throws {
        let fixture = try LoopFixture("nurture-deal-value-intake")
        defer { fixture.remove() }
        _ = try fixture.store.upsert([LoopFixture.lead("L-1", stage: "opportunity")])
        let text = """
            at,type,lead,action,amount,currency
            2026-03-05T10:00:00Z,rep_action,L-1,won,12.345,USD
            2026-03-05T11:00:00Z,rep_action,L-1,won,48000,usd
            2026-03-05T12:00:00Z,rep_action,L-1,lost(no-decision),100,USD
            2026-03-05T13:00:00Z,rep_action,L-1,won,48000,
            2026-03-05T14:00:00Z,rep_action,L-1,won,48000.50,EUR

            """
        let intake = EventLog.intake(text: text, name: "crm.csv")
        let errors = intake.diagnostics.errors.map { "\($0.line):\($0.column) \($0.message)" }
        #expect(errors.count == 4, "\(errors)")
        #expect(errors[0].hasPrefix("2:41 amount '12.345' has more than 12 digits before the point or 2 after"), "\(errors)")
        #expect(errors[1].hasPrefix("3:47 currency 'usd' is not an ISO 4217 code"), "\(errors)")
        #expect(errors[2].hasPrefix("4:55 only qualify and won carry an amount"), "\(errors)")
        #expect(errors[3].hasPrefix("5:41 an amount needs its currency"), "\(errors)")
        #expect(intake.actions.map(\.value) == [DealValue(hundredths: 4_800_050, currency: "EUR")])

        let result = try EventIntake(store: fixture.store, lifecycle: LoopFixture.definitions.lifecycle).ingest(intake, at: utc(2026, 3, 6, 0))
        #expect(result.added == 1 && result.refused.isEmpty)
        #expect(try fixture.store.repActions(since: nil, until: nil).map(\.value) == [DealValue(hundredths: 4_800_050, currency: "EUR")])
    }
}
