import FinOpsCore
import Foundation

/// The numbers of the Overview (and, filtered to one team, of the team page): spend and
/// savings in the range against the period before, month-to-date spend and its month-end
/// forecast against the budget, burn rates, spend by team per bucket, cost per outcome.
/// Pure: built from rollup rows the caller read once.
public struct OverviewModel: Sendable {
    /// What the page read: rows at the range's granularity covering the previous period and the
    /// range, daily rows from four weeks before the month to today, the last 24 hourly buckets.
    public struct Input: Sendable {
        public var rangeRows: [SpendRollup]
        public var daily: [SpendRollup]
        public var lastDay: [SpendRollup]
        public var outcomes: [OutcomeRollup]
        public var budgets: [BudgetStatus]
        public init(rangeRows: [SpendRollup], daily: [SpendRollup], lastDay: [SpendRollup], outcomes: [OutcomeRollup], budgets: [BudgetStatus]) {
            self.rangeRows = rangeRows; self.daily = daily; self.lastDay = lastDay; self.outcomes = outcomes; self.budgets = budgets
        }
    }

    public var range: DashboardRange
    public var total: SpendTotals
    public var previousTotal: SpendTotals
    /// Totals per bucket of the range.
    public var series: [SpendTotals]
    /// Teams by spend in the range, each with its per-bucket totals.
    public var teams: [(name: String, totals: SpendTotals, series: [SpendTotals])]
    public var monthToDate: Money
    public var forecast: SpendForecast
    /// The monthly budget that caps this scope (the org's, or the team's), if any.
    public var budget: BudgetStatus?
    /// Spend per hour over the last 24 hours, and per day (last seven complete days, or the
    /// month so far when there is less history).
    public var hourlyBurn: Money
    public var dailyBurn: Money
    /// Cumulative spend per day of the month so far.
    public var monthDays: [Date]
    public var cumulative: [Money]
    public var outcomes: [OutcomeCost]

    /// Rows whose bucket starts in `[from, to)`.
    static func slice(_ rows: [SpendRollup], _ from: Date, _ to: Date) -> [SpendRollup] {
        rows.filter { $0.key.bucket >= from && $0.key.bucket < to }
    }

    /// The lower bound of the daily rows `Input.daily` must cover.
    public static func dailyFrom(_ range: DashboardRange) -> Date {
        BudgetPeriod.monthly.window(at: range.now).start.addingTimeInterval(-28 * 86_400)
    }

    public init(range: DashboardRange, input: Input, budgetScope: (BudgetScope, String)) {
        self.range = range
        let inRange = Self.slice(input.rangeRows, range.from, range.to)
        total = RollupGroups.total(inRange)
        previousTotal = RollupGroups.total(Self.slice(input.rangeRows, range.previous.from, range.previous.to))
        series = RollupGroups.series(inRange, range)
        let byTeam = RollupGroups.series(inRange, range) { $0.team }
        teams = RollupGroups.bySpend(RollupGroups.by(inRange) { $0.team }).map { ($0.key, $0.totals, byTeam[$0.key] ?? []) }

        let month = BudgetPeriod.monthly.window(at: range.now)
        var perDay: [Date: Money] = [:]
        for row in input.daily { perDay[row.key.bucket, default: .zero] += row.totals.cost }
        forecast = SpendForecast.project(dailySpend: perDay, windowStart: month.start, windowEnd: month.end, now: range.now)
        monthToDate = forecast.spentSoFar
        budget = input.budgets.first { $0.policy.scope == budgetScope.0 && $0.subject == budgetScope.1 && $0.policy.period == .monthly }

        let today = SpendRollup.Granularity.day.bucketStart(range.now)
        monthDays = stride(from: month.start.timeIntervalSince1970, through: today.timeIntervalSince1970, by: 86_400)
            .map { Date(timeIntervalSince1970: $0) }
        var running = Money.zero
        cumulative = monthDays.map { day in running += perDay[day] ?? .zero; return running }

        let firstHour = SpendRollup.Granularity.hour.bucketStart(range.now).addingTimeInterval(-23 * 3_600)
        let lastDaySpend = Self.slice(input.lastDay, firstHour, range.now.addingTimeInterval(3_600)).reduce(Money.zero) { $0 + $1.totals.cost }
        let hours = max(1, range.now.timeIntervalSince(firstHour) / 3_600)
        hourlyBurn = Money(nanos: Int64((Double(lastDaySpend.nanos) / hours).rounded()))
        let daysElapsed = max(1, range.now.timeIntervalSince(month.start) / 86_400)
        dailyBurn = forecast.dailyRunRate ?? Money(nanos: Int64((Double(monthToDate.nanos) / daysElapsed).rounded()))

        outcomes = OutcomeCost.lines(spend: inRange,
                                     outcomes: input.outcomes.filter { $0.key.bucket >= range.from && $0.key.bucket < range.to })
    }

    /// Change of spend against the previous period of the same length (nil without one).
    public var spendChange: Double? {
        previousTotal.cost.nanos > 0 ? Double(total.cost.nanos - previousTotal.cost.nanos) / Double(previousTotal.cost.nanos) : nil
    }

    /// The month-end forecast over the budget's limit.
    public var forecastUtilization: Double? {
        guard let budget, budget.policy.limit.nanos > 0 else { return nil }
        return Double(forecast.expected.nanos) / Double(budget.policy.limit.nanos)
    }
}
