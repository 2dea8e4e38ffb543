import FinOpsCore
import XCTest

final class BudgetAlertRulesTests: XCTestCase {
    private let now = CivilDate.parse("2026-11-20T12:00:00Z")!

    private func status(spent: Double, limit: Double = 100, forecast: Double? = nil, scope: BudgetScope = .team,
                        period: BudgetPeriod = .monthly) -> BudgetStatus {
        let policy = BudgetPolicy(scope: scope, subject: "search", period: period, limit: Money(usd: limit), thresholds: [50, 80, 100])
        let window = period.window(at: now)
        let f = forecast.map {
            SpendForecast(windowStart: window.start, windowEnd: window.end, spentSoFar: Money(usd: spent), linear: Money(usd: $0 * 0.9),
                          weekdayAware: Money(usd: $0), dailyRunRate: Money(usd: 3))
        }
        return BudgetStatus(policy: policy, subject: "search", window: window, spent: Money(usd: spent), forecast: f)
    }

    func testEachCrossedThresholdIsAFindingGradedByPercent() {
        let findings = BudgetAlertRules(settings: SchedulerSettings()).findings([status(spent: 85)], now: now)
        XCTAssertEqual(findings.map(\.fingerprint), ["budget_threshold:team=search:period=monthly:threshold=50",
                                                     "budget_threshold:team=search:period=monthly:threshold=80"])
        XCTAssertEqual(findings.map(\.severity), [.info, .warning])
        XCTAssertEqual(findings.first?.team, "search")
        XCTAssertEqual(findings.last?.value ?? 0, 85, accuracy: 1e-9)
        XCTAssertEqual(findings.last?.threshold, 80)
        XCTAssertEqual(findings.last?.labels["spent_usd"], "85.000000")
        XCTAssertEqual(findings.last?.labels["limit_usd"], "100.000000")
        XCTAssertEqual(findings.last?.labels["window"], "m2026-11")
        let over = BudgetAlertRules(settings: SchedulerSettings()).findings([status(spent: 130)], now: now)
        XCTAssertEqual(over.map(\.severity), [.info, .warning, .critical])
        var custom = SchedulerSettings()
        custom.budgetCriticalPercent = 80
        custom.budgetWarningPercent = 50
        XCTAssertEqual(BudgetAlertRules(settings: custom).findings([status(spent: 85)], now: now).map(\.severity), [.warning, .critical])
    }

    func testForecastBreachUsesTheExpectedProjectionAndWaitsForHistory() {
        let rules = BudgetAlertRules(settings: SchedulerSettings())
        let breach = rules.findings([status(spent: 40, forecast: 130)], now: now).filter { $0.kind == .budgetForecast }
        XCTAssertEqual(breach.count, 1)
        XCTAssertEqual(breach.first?.fingerprint, "budget_forecast:team=search:period=monthly")
        XCTAssertEqual(breach.first?.severity, .warning)
        XCTAssertEqual(breach.first?.value ?? 0, 130, accuracy: 1e-9)
        XCTAssertEqual(breach.first?.labels["forecast_method"], "weekday_aware")
        XCTAssertEqual(breach.first?.labels["forecast_usd"], "130.000000")
        XCTAssertTrue(rules.findings([status(spent: 40, forecast: 95)], now: now).filter { $0.kind == .budgetForecast }.isEmpty)
        XCTAssertTrue(rules.findings([status(spent: 120, forecast: 200)], now: now).filter { $0.kind == .budgetForecast }.isEmpty,
                      "already over the limit: the threshold alert says it")
        let firstHours = CivilDate.parse("2026-11-01T10:00:00Z")!
        XCTAssertTrue(rules.findings([status(spent: 40, forecast: 300)], now: firstHours).filter { $0.kind == .budgetForecast }.isEmpty,
                      "ten hours into a month is too early to forecast")
    }

    func testOrgAndKeyBudgetsAreOrgWide() {
        let f = BudgetAlertRules(settings: SchedulerSettings()).findings([status(spent: 60, scope: .key)], now: now)
        XCTAssertEqual(f.first?.team, "")
        XCTAssertEqual(f.first?.fingerprint, "budget_threshold:key=search:period=monthly:threshold=50")
    }
}
