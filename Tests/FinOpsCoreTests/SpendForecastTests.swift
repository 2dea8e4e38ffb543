import FinOpsCore
import Foundation
import XCTest

final class SpendForecastTests: XCTestCase {
    private let day = 86_400.0
    private let dec1 = CivilDate.parse("2026-12-01")!
    private let jan1 = CivilDate.parse("2027-01-01")!

    private func history(from start: Date, days: Int, _ usd: (Date) -> Double) -> [Date: Money] {
        var out: [Date: Money] = [:]
        for i in 0..<days {
            let d = start.addingTimeInterval(Double(i) * day)
            out[d] = Money(usd: usd(d))
        }
        return out
    }

    func testFlatSpendProjectsTheSameEitherWay() {
        // $10 every day since Nov 1; now is Dec 11 00:00, so Dec 1-10 are complete ($100).
        let now = dec1.addingTimeInterval(10 * day)
        let spend = history(from: CivilDate.parse("2026-11-01")!, days: 40) { _ in 10 }
        let f = SpendForecast.project(dailySpend: spend, windowStart: dec1, windowEnd: jan1, now: now)
        XCTAssertEqual(f.spentSoFar, Money(usd: 100))
        XCTAssertEqual(f.linear, Money(usd: 310))
        XCTAssertEqual(f.weekdayAware, Money(usd: 310))
        XCTAssertEqual(f.dailyRunRate, Money(usd: 10))
        XCTAssertEqual(f.expected, f.weekdayAware)
    }

    func testWeekendPatternShapesTheWeekdayAwareProjection() {
        // $10 on weekdays, $0 on weekends. 2026-12-01 is a Tuesday.
        let weekdays: (Date) -> Double = { d in
            let weekday = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: d).weekday!
            return weekday == 1 || weekday == 7 ? 0 : 10
        }
        let now = CivilDate.parse("2026-12-15")!  // Tuesday 00:00; Dec 1-14 complete
        let spend = history(from: CivilDate.parse("2026-11-01")!, days: 44, weekdays)
        let f = SpendForecast.project(dailySpend: spend, windowStart: dec1, windowEnd: jan1, now: now)
        XCTAssertEqual(f.spentSoFar, Money(usd: 100), "10 weekdays in Dec 1-14")
        // Dec 15-31 hold 13 weekdays: exactly $130 more.
        XCTAssertEqual(Double(f.weekdayAware.nanos) / 1e9, 230, accuracy: 1e-6)
        // At the average pace of the first 14 days (which held 4 weekend days) it says less.
        XCTAssertEqual(Double(f.linear.nanos) / 1e9, 100.0 * 31 / 14, accuracy: 1e-6)
        XCTAssertEqual(Double(f.dailyRunRate!.nanos) / 1e9, 50.0 / 7, accuracy: 1e-6)
    }

    func testShortHistoryFallsBackToLinear() {
        let now = dec1.addingTimeInterval(3.5 * day)
        let spend = history(from: dec1, days: 4) { _ in 7 }
        let f = SpendForecast.project(dailySpend: spend, spentSoFar: Money(usd: 24.5), windowStart: dec1, windowEnd: jan1, now: now)
        XCTAssertNil(f.dailyRunRate)
        XCTAssertEqual(f.linear, Money(usd: 24.5 * 31 / 3.5))
        XCTAssertEqual(f.expected, f.linear)
    }

    func testTodaysSpendAlreadyPastATypicalDayAddsNothingForTheRestOfToday() {
        var spend = history(from: CivilDate.parse("2026-11-20")!, days: 21) { _ in 10 }
        let today = CivilDate.parse("2026-12-10")!
        spend[today] = Money(usd: 55)  // a spike this morning
        let now = today.addingTimeInterval(day / 4)
        let f = SpendForecast.project(dailySpend: spend, windowStart: dec1, windowEnd: jan1, now: now)
        XCTAssertEqual(f.spentSoFar, Money(usd: 9 * 10 + 55))
        // Rest of today 0, then Dec 11-31 at $10.
        XCTAssertEqual(f.weekdayAware, Money(usd: 145 + 21 * 10))
    }

    func testBudgetStatusUtilizationAndThresholds() {
        let policy = BudgetPolicy(scope: .team, subject: "*", period: .monthly, limit: Money(usd: 200), thresholds: [50, 80, 100])
        var s = BudgetStatus(policy: policy, subject: "search", window: policy.period.window(at: dec1), spent: Money(usd: 160))
        XCTAssertEqual(s.id, "team:search:monthly")
        XCTAssertEqual(s.utilization, 0.8, accuracy: 1e-12)
        XCTAssertEqual(s.crossedThresholds, [50, 80])
        XCTAssertNil(s.forecastUtilization)
        s.forecast = SpendForecast(windowStart: dec1, windowEnd: jan1, spentSoFar: s.spent, linear: Money(usd: 300),
                                   weekdayAware: Money(usd: 250), dailyRunRate: Money(usd: 5))
        XCTAssertEqual(s.forecastUtilization!, 1.25, accuracy: 1e-12)
        s.spent = Money(usd: 200)
        XCTAssertEqual(s.crossedThresholds, [50, 80, 100])
    }
}
