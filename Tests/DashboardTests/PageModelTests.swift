@testable import Dashboard
import FinOpsCore
import Storage
import XCTest

/// Page models against seeded traffic: every figure equals the sum over the raw rows it covers.
final class PageModelTests: XCTestCase {
    static let now = Date(timeIntervalSince1970: 1_796_220_000)  // 2026-12-02T11:20:00Z
    static let records = SeedTrafficGenerator(rows: 6_000, days: 40, end: now, seed: 7, catalog: DefaultPricing.catalog()).generate()

    func rollups(_ g: SpendRollup.Granularity, team: String? = nil) -> [SpendRollup] {
        SpendRollup.aggregate(Self.records.filter { team == nil || $0.team == team }, g).map { SpendRollup(key: $0.key, totals: $0.value) }
    }

    func raw(_ from: Date, _ to: Date, team: String? = nil) -> [TelemetryRecord] {
        Self.records.filter { $0.time >= from && $0.time < to && (team == nil || $0.team == team) }
    }

    func input(_ range: DashboardRange, team: String? = nil, budgets: [BudgetStatus] = []) -> OverviewModel.Input {
        let daily = rollups(.day, team: team)
        let outcomes = OutcomeRollup.aggregate(Self.records.filter { team == nil || $0.team == team }).map { OutcomeRollup(key: $0.key, totals: $0.value) }
        return OverviewModel.Input(rangeRows: range.hourly ? rollups(.hour, team: team) : daily, daily: daily,
                                   lastDay: rollups(.hour, team: team), outcomes: outcomes, budgets: budgets)
    }

    func testOverviewFiguresEqualSumsOverTheRawRows() {
        for kind in DashboardRange.Kind.allCases {
            let range = DashboardRange(kind, now: Self.now)
            let m = OverviewModel(range: range, input: input(range), budgetScope: (.org, "acme"))
            let rows = raw(range.from, range.to)
            XCTAssertEqual(m.total.requests, rows.count, "\(kind)")
            XCTAssertEqual(m.total.cost, rows.reduce(.zero) { $0 + $1.cost }, "\(kind)")
            XCTAssertEqual(m.total.savings, rows.reduce(.zero) { $0 + $1.baselineCost - $1.cost }, "\(kind)")
            XCTAssertEqual(m.series.count, range.buckets.count)
            XCTAssertEqual(m.series.reduce(Money.zero) { $0 + $1.cost }, m.total.cost, "the series adds up to the total")
            XCTAssertEqual(m.previousTotal.requests, raw(range.previous.from, range.previous.to).count, "\(kind) previous period")
            XCTAssertEqual(m.teams.map(\.totals.cost).reduce(.zero, +), m.total.cost)
            XCTAssertEqual(m.teams.map(\.totals.cost), m.teams.map(\.totals.cost).sorted(by: >), "top teams by spend")
            for team in m.teams {
                XCTAssertEqual(team.totals.requests, rows.filter { $0.team == team.name }.count)
            }
        }
        let m = OverviewModel(range: DashboardRange(.last7d, now: Self.now), input: input(DashboardRange(.last7d, now: Self.now)), budgetScope: (.org, "acme"))
        let month = BudgetPeriod.monthly.window(at: Self.now)
        XCTAssertEqual(m.monthToDate, raw(month.start, Self.now.addingTimeInterval(1)).reduce(.zero) { $0 + $1.cost })
        XCTAssertEqual(m.cumulative.last, m.monthToDate)
        XCTAssertEqual(m.monthDays.count, 2, "Dec 1 and Dec 2")
        let lastDay = raw(SpendRollup.Granularity.hour.bucketStart(Self.now).addingTimeInterval(-23 * 3_600), Self.now.addingTimeInterval(3_600))
        let hours = Self.now.timeIntervalSince(SpendRollup.Granularity.hour.bucketStart(Self.now).addingTimeInterval(-23 * 3_600)) / 3_600
        XCTAssertEqual(Double(m.hourlyBurn.nanos), Double(lastDay.reduce(Money.zero) { $0 + $1.cost }.nanos) / hours, accuracy: 1)
        XCTAssertNotNil(m.forecast.dailyRunRate, "40 days of history")
        XCTAssertEqual(m.dailyBurn, m.forecast.dailyRunRate)
    }

    func testOutcomeCostDividesUseCaseSpendByOutcomes() {
        let range = DashboardRange(.last30d, now: Self.now)
        let m = OverviewModel(range: range, input: input(range), budgetScope: (.org, "acme"))
        let rows = raw(range.from, range.to)
        XCTAssertFalse(m.outcomes.isEmpty)
        for line in m.outcomes {
            let useCase = rows.filter { $0.team == line.team && $0.useCase == line.useCase }
            XCTAssertEqual(line.outcomes, useCase.filter { $0.outcome == line.outcome }.count)
            XCTAssertEqual(line.useCaseSpend, useCase.reduce(.zero) { $0 + $1.cost })
            XCTAssertEqual(line.costPerOutcome.nanos, (line.useCaseSpend.nanos + Int64(line.outcomes / 2)) / Int64(line.outcomes))
        }
    }

    func testBudgetIsMatchedToTheScopeAndDrivesForecastUtilization() {
        let month = BudgetPeriod.monthly.window(at: Self.now)
        let policy = BudgetPolicy(scope: .org, subject: "acme", period: .monthly, limit: Money(usd: 100))
        let daily = BudgetPolicy(scope: .org, subject: "acme", period: .daily, limit: Money(usd: 1))
        let budgets = [BudgetStatus(policy: daily, subject: "acme", window: BudgetPeriod.daily.window(at: Self.now), spent: .zero),
                       BudgetStatus(policy: policy, subject: "acme", window: month, spent: Money(usd: 10))]
        let range = DashboardRange(.mtd, now: Self.now)
        let m = OverviewModel(range: range, input: input(range, budgets: budgets), budgetScope: (.org, "acme"))
        XCTAssertEqual(m.budget?.policy.period, .monthly)
        XCTAssertEqual(m.forecastUtilization!, Double(m.forecast.expected.nanos) / 100e9, accuracy: 1e-12)
        let none = OverviewModel(range: range, input: input(range, budgets: budgets), budgetScope: (.team, "search"))
        XCTAssertNil(none.budget)
        XCTAssertNil(none.forecastUtilization)
    }

    func testTeamScopedInputOnlyCountsThatTeam() {
        let range = DashboardRange(.last30d, now: Self.now)
        let m = OverviewModel(range: range, input: input(range, team: "legal"), budgetScope: (.team, "legal"))
        XCTAssertEqual(m.total.cost, raw(range.from, range.to, team: "legal").reduce(.zero) { $0 + $1.cost })
        XCTAssertEqual(m.teams.map(\.name), ["legal"])
    }

    func testDriftComparesEachUseCaseWithTheTrailingPeriod() {
        let range = DashboardRange(.last7d, now: Self.now)
        let alerts = [AlertRecord(time: Self.now, fingerprint: "f", kind: "cost_drift", severity: .warning, org: "acme", title: "t", message: "m")]
        let m = DriftModel(range: range, rows: rollups(.day), alerts: alerts)
        XCTAssertEqual(m.alertCounts[.warning], 1)
        XCTAssertEqual(m.firing, 1)
        XCTAssertEqual(m.total.requests, raw(range.from, range.to).count)
        XCTAssertEqual(m.baseline.requests, raw(range.previous.from, range.previous.to).count)
        let triage = try? XCTUnwrap(m.groups.first { $0.team == "support" && $0.useCase == "ticket-triage" })
        let now = raw(range.from, range.to).filter { $0.team == "support" && $0.useCase == "ticket-triage" }
        let before = raw(range.previous.from, range.previous.to).filter { $0.team == "support" && $0.useCase == "ticket-triage" }
        let cprNow = now.reduce(Money.zero) { $0 + $1.cost }.usd / Double(now.count)
        let cprBefore = before.reduce(Money.zero) { $0 + $1.cost }.usd / Double(before.count)
        XCTAssertEqual(triage?.costChange ?? .nan, (cprNow - cprBefore) / cprBefore, accuracy: 1e-9)
        XCTAssertGreaterThan(triage?.costChange ?? 0, 0.2, "the planted spike (priciest model) raises triage cost per request")
        let changes = m.groups.compactMap { $0.costChange.map(abs) }
        XCTAssertEqual(changes, changes.sorted(by: >), "largest drift first")
        XCTAssertNil(DriftModel.Group.change(1, 0))
    }

    func testBreakdownAndRangeBuckets() {
        let range = DashboardRange(.last24h, now: Self.now)
        XCTAssertEqual(range.buckets.count, 24)
        XCTAssertEqual(range.to, SpendRollup.Granularity.hour.bucketStart(Self.now).addingTimeInterval(3_600))
        XCTAssertEqual(range.previous.to, range.from)
        XCTAssertEqual(DashboardRange(.mtd, now: Self.now).buckets.count, 2)
        XCTAssertEqual(DashboardRange(.last30d, now: Self.now).buckets.count, 30)
        let b = Breakdown(range: range, rows: rollups(.hour)) { $0.strategy }
        XCTAssertEqual(b.total.requests, raw(range.from, range.to).count)
        for g in b.groups { XCTAssertEqual(g.totals.requests, raw(range.from, range.to).filter { $0.strategy == g.name }.count) }
        XCTAssertEqual(b.groups.map { b.share($0) }.reduce(0, +), 1, accuracy: 1e-9)
        XCTAssertThrowsError(try DashboardRange.parse("90d", now: Self.now))
        XCTAssertEqual(try DashboardRange.parse(nil, now: Self.now).kind, .last7d)
        XCTAssertEqual(try DashboardRange.parse("MTD", now: Self.now).kind, .mtd)
    }
}
