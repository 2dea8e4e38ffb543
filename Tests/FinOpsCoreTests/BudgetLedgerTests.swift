import FinOpsCore
import Foundation
import XCTest

final class BudgetLedgerTests: XCTestCase {
    let dollar = Money(usd: 1)
    func line(_ key: String, _ limit: Money?) -> BudgetLedger.Line { .init(key: key, limit: limit, ttlSeconds: 60) }

    func testReserveStopsAtTheLimitAndSettleCorrectsToActual() {
        var ledger = BudgetLedger()
        let cents30 = Money(usd: 0.30)
        XCTAssertEqual(ledger.reserve([line("t", dollar)], amount: cents30, now: 0), .reserved(before: [.zero]))
        XCTAssertEqual(ledger.reserve([line("t", dollar)], amount: cents30, now: 0), .reserved(before: [cents30]))
        XCTAssertEqual(ledger.reserve([line("t", dollar)], amount: cents30, now: 0), .reserved(before: [Money(usd: 0.60)]))
        XCTAssertEqual(ledger.reserve([line("t", dollar)], amount: cents30, now: 0), .refused(index: 0, spent: Money(usd: 0.90)))
        // The three calls cost 10 cents each in the end: 60 cents come back.
        for _ in 0..<3 { ledger.settle(keys: ["t"], delta: Money(usd: -0.20), now: 1) }
        XCTAssertEqual(ledger.spent("t", now: 1), Money(usd: 0.30))
        XCTAssertEqual(ledger.reserve([line("t", dollar)], amount: Money(usd: 0.70), now: 1), .reserved(before: [Money(usd: 0.30)]))
    }

    func testAllLinesOrNone() {
        var ledger = BudgetLedger()
        _ = ledger.reserve([line("org", nil), line("team", Money(usd: 0.5))], amount: Money(usd: 0.4), now: 0)
        XCTAssertEqual(ledger.reserve([line("org", nil), line("team", Money(usd: 0.5))], amount: Money(usd: 0.2), now: 0),
                       .refused(index: 1, spent: Money(usd: 0.4)))
        XCTAssertEqual(ledger.spent("org", now: 0), Money(usd: 0.4), "the org line was not charged for the refused call")
        // A line without a limit (alert-only) is counted but never refuses.
        XCTAssertEqual(ledger.reserve([line("org", nil)], amount: Money(usd: 5), now: 0), .reserved(before: [Money(usd: 0.4)]))
    }

    func testCountersExpireWithTheirWindowAndSettleIgnoresExpired() {
        var ledger = BudgetLedger()
        _ = ledger.reserve([line("t", dollar)], amount: Money(usd: 0.9), now: 0)
        XCTAssertEqual(ledger.spent("t", now: 61), .zero)
        ledger.settle(keys: ["t"], delta: Money(usd: -0.5), now: 61)
        XCTAssertEqual(ledger.spent("t", now: 61), .zero, "a settlement never turns an expired window into credit")
    }

    func testThresholdCrossingsAreReportedOnce() {
        let limit = dollar
        XCTAssertEqual(BudgetLedger.crossedThresholds([50, 80, 100], before: Money(usd: 0.4), after: Money(usd: 0.85), limit: limit), [50, 80])
        XCTAssertEqual(BudgetLedger.crossedThresholds([50, 80, 100], before: Money(usd: 0.85), after: Money(usd: 0.9), limit: limit), [])
        XCTAssertEqual(BudgetLedger.crossedThresholds([50, 80, 100], before: Money(usd: 0.9), after: Money(usd: 1.0), limit: limit), [100])
    }

    func testWindowsAreUTCCalendarPeriodsWithResetTimes() {
        let t = Date(timeIntervalSince1970: 1_795_000_000)   // 2026-11-18T08:26:40Z
        let day = BudgetPeriod.daily.window(at: t)
        XCTAssertEqual(day.id, "d2026-11-18")
        XCTAssertEqual(day.resetISO8601, "2026-11-19T00:00:00Z")
        let month = BudgetPeriod.monthly.window(at: t)
        XCTAssertEqual(month.id, "m2026-11")
        XCTAssertEqual(month.resetISO8601, "2026-12-01T00:00:00Z")
        XCTAssertEqual(BudgetPeriod.monthly.window(at: Date(timeIntervalSince1970: 1_798_761_599)).resetISO8601, "2027-01-01T00:00:00Z")
        XCTAssertGreaterThan(month.ttlSeconds(now: t), Int(month.end.timeIntervalSince(t)))
    }

    func testPolicyIdentityAndWildcard() {
        let p = BudgetPolicy(scope: .team, subject: "*", period: .daily, limit: dollar)
        XCTAssertEqual(p.id, "team:*:daily")
        XCTAssertTrue(p.applies(to: "search"))
        XCTAssertFalse(BudgetPolicy(scope: .team, subject: "ads", period: .daily, limit: dollar).applies(to: "search"))
    }
}
