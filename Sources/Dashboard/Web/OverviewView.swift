import FinOpsCore
import Foundation

/// The Overview page and its `/api/v1/overview` document: KPIs, spend by team over the range,
/// the month-end forecast against the org budget, top teams and cost per outcome.
enum OverviewView {
    static func kpis(_ m: OverviewModel, scope: String) -> [PageView.KPI] {
        let t = m.total
        var spendDetail = "no earlier period to compare"
        var spendTone: String?
        if let change = m.spendChange {
            spendDetail = "\(DisplayFormat.change(change)) vs the previous \(m.range.kind == .mtd ? "period" : m.range.kind.label)"
            spendTone = change > 0.2 ? "warning" : nil
        }
        let monthEnd = DisplayFormat.bucket(m.forecast.windowEnd.addingTimeInterval(-1), hourly: false)
        var budgetKPI = PageView.KPI(label: "Forecast vs budget", value: "No budget",
                                     detail: "no monthly \(scope) budget is configured")
        if let budget = m.budget, let f = m.forecastUtilization {
            budgetKPI = .init(label: "Forecast vs budget", value: DisplayFormat.percent(f),
                              detail: "\(DisplayFormat.money(m.forecast.expected)) of \(DisplayFormat.money(budget.policy.limit)) by \(monthEnd)",
                              tone: Gauge.tone(f) == "ok" ? nil : Gauge.tone(f))
        }
        let savings = t.savings
        return [
            .init(label: "Spend · \(m.range.kind.label)", value: DisplayFormat.money(t.cost), detail: spendDetail, tone: spendTone),
            .init(label: "Month to date", value: DisplayFormat.money(m.monthToDate),
                  detail: "forecast \(DisplayFormat.money(m.forecast.expected)) by \(monthEnd)"),
            budgetKPI,
            .init(label: "Burn rate", value: DisplayFormat.money(m.dailyBurn) + "/day",
                  detail: "\(DisplayFormat.money(m.hourlyBurn))/hour over the last 24 h"),
            .init(label: "Savings vs baseline", value: DisplayFormat.money(savings),
                  detail: t.savingsFraction.map { savings.nanos < 0 ? "\(DisplayFormat.percent(-$0)) more than the baseline models"
                      : "\(DisplayFormat.percent($0)) below the baseline models" } ?? "no baseline cost in this range",
                  tone: savings.nanos < 0 ? "critical" : "good"),
            .init(label: "Requests", value: DisplayFormat.count(t.requests),
                  detail: "\(t.costPerRequestUSD.map(DisplayFormat.usd) ?? "—") per request · \(t.errorRate.map(DisplayFormat.percent) ?? "—") errors"),
        ]
    }

    /// Spend per bucket, stacked by the five biggest teams plus "Other".
    static func burnChart(_ m: OverviewModel, title: String) -> String {
        let n = m.range.buckets.count
        var layers: [StackedAreaChart.Layer] = []
        for (i, team) in m.teams.prefix(5).enumerated() {
            layers.append(.init(name: team.name, values: team.series.map(\.cost.usd), color: ChartPalette.color(i)))
        }
        if m.teams.count > 5 {
            var other = [Double](repeating: 0, count: n)
            for team in m.teams.dropFirst(5) { for (i, t) in team.series.enumerated() where i < n { other[i] += t.cost.usd } }
            layers.append(.init(name: "Other", values: other, color: ChartPalette.other))
        }
        return StackedAreaChart(title: title, xLabels: m.range.bucketLabels, layers: layers, yFormat: DisplayFormat.usdTick)
            .sized(ChartSize.wide).render()
    }

    /// Cumulative spend this month, the forecast to month end, and the budget line.
    static func forecastChart(_ m: OverviewModel) -> String {
        let month = BudgetPeriod.monthly.window(at: m.range.now)
        let days = stride(from: month.start.timeIntervalSince1970, to: month.end.timeIntervalSince1970, by: 86_400).map { Date(timeIntervalSince1970: $0) }
        let today = m.cumulative.count - 1
        var actual = [Double?](repeating: nil, count: days.count)
        for (i, v) in m.cumulative.enumerated() where i < days.count { actual[i] = v.usd }
        var projected = [Double?](repeating: nil, count: days.count)
        if today >= 0, today < days.count {
            let start = m.cumulative[today].usd, end = m.forecast.expected.usd
            let steps = Double(max(1, days.count - 1 - today))
            for i in today..<days.count { projected[i] = start + (end - start) * Double(i - today) / steps }
        }
        var series = [LineChart.Series(name: "Spent", values: actual, color: ChartPalette.color(0)),
                      LineChart.Series(name: "Forecast", values: projected, dashed: true, color: ChartPalette.color(1))]
        if let budget = m.budget {
            series.append(.init(name: "Budget", values: days.map { _ in budget.policy.limit.usd }, dashed: true, color: ChartPalette.color(3)))
        }
        let labels = days.map { DisplayFormat.bucket($0, hourly: false) }
        return LineChart(title: "Cumulative spend this month with the month-end forecast", xLabels: labels, series: series,
                         yFormat: DisplayFormat.usdTick).sized(ChartSize.narrow).render()
    }

    static func gauge(_ m: OverviewModel, scope: String) -> String {
        let caption = m.budget.map { "\(DisplayFormat.money(m.forecast.expected)) of \(DisplayFormat.money($0.policy.limit))" }
            ?? "No monthly \(scope) budget"
        return Gauge(title: "Month-end forecast as a share of the \(scope) budget", fraction: m.forecastUtilization, caption: caption,
                     thresholds: (m.budget?.policy.thresholds ?? []).map { Double($0) / 100 }).render()
    }

    static func teamsTable(_ m: OverviewModel) -> DataTable {
        let total = max(1, m.total.cost.nanos)
        let rows = m.teams.map { team -> [DataTable.Cell] in
            let t = team.totals
            return [DataTable.Cell(team.name, href: DashboardLinks.team(team.name, range: m.range.kind)),
                    .money(t.cost), .percent(Double(t.cost.nanos) / Double(total)), .count(t.requests),
                    .usd(t.costPerRequestUSD), DataTable.Cell.money(t.savings).toned(t.savings.nanos < 0 ? "critical" : "ok"),
                    .percent(t.savingsFraction),
                    DataTable.Cell("", raw: "", svg: Sparkline(label: "\(team.name) spend per \(m.range.hourly ? "hour" : "day")",
                                                               values: team.series.map { $0.cost.usd }).render())]
        }
        return DataTable(id: "teams", caption: "Top teams by spend",
                         columns: [.init("Team"), .init("Spend", numeric: true), .init("Share", numeric: true),
                                   .init("Requests", numeric: true), .init("Cost / request", numeric: true),
                                   .init("Savings", numeric: true), .init("Savings %", numeric: true), .init("Trend")],
                         rows: rows)
    }

    static func outcomesTable(_ lines: [OutcomeCost], range: DashboardRange) -> DataTable {
        DataTable(id: "outcomes", caption: "Cost per business outcome",
                  columns: [.init("Team"), .init("Use case"), .init("Outcome"), .init("Outcomes", numeric: true),
                            .init("Cost / outcome", numeric: true), .init("Use-case spend", numeric: true)],
                  rows: lines.map { l in
                      [DataTable.Cell(l.team, href: DashboardLinks.team(l.team, range: range.kind)), DataTable.Cell(l.useCase),
                       DataTable.Cell(l.outcome), .count(l.outcomes), .money(l.costPerOutcome), .money(l.useCaseSpend)]
                  },
                  emptyMessage: "No outcomes reported in this range (send X-FinOps-Outcome with calls that achieve one)")
    }

    static func json(_ m: OverviewModel, org: String) -> [(String, JSONValue)] {
        let budget: JSONValue = m.budget.map { b in
            .object([("id", .string(b.id)), ("limit_usd", JSONFields.money(b.policy.limit)), ("spent_usd", JSONFields.money(b.spent)),
                     ("utilization", JSONFields.number(b.utilization)), ("forecast_utilization", JSONFields.number(m.forecastUtilization))])
        } ?? .null
        let f = m.forecast
        return [
            ("org", .string(org)),
            ("totals", .object(JSONFields.totals(m.total))),
            ("previous_totals", .object(JSONFields.totals(m.previousTotal))),
            ("spend_change", JSONFields.number(m.spendChange)),
            ("month_to_date", .object([
                ("spend_usd", JSONFields.money(m.monthToDate)), ("month_start", JSONFields.date(f.windowStart)),
                ("month_end", JSONFields.date(f.windowEnd)),
                ("forecast", .object([("linear_usd", JSONFields.money(f.linear)), ("weekday_aware_usd", JSONFields.money(f.weekdayAware)),
                                      ("expected_usd", JSONFields.money(f.expected)),
                                      ("daily_run_rate_usd", f.dailyRunRate.map(JSONFields.money) ?? .null)])),
                ("budget", budget),
            ])),
            ("burn_rate", .object([("hourly_usd", JSONFields.money(m.hourlyBurn)), ("daily_usd", JSONFields.money(m.dailyBurn))])),
            ("series", .array(zip(m.range.buckets, m.series).map { JSONFields.bucket($0, $1) })),
            ("teams", .array(m.teams.map { JSONFields.named($0.name, $0.totals) })),
            ("outcomes", .array(m.outcomes.map { l in
                .object([("team", .string(l.team)), ("use_case", .string(l.useCase)), ("outcome", .string(l.outcome)),
                         ("outcomes", .int(l.outcomes)), ("cost_per_outcome_usd", JSONFields.money(l.costPerOutcome)),
                         ("use_case_spend_usd", JSONFields.money(l.useCaseSpend))])
            })),
        ]
    }

    static func page(_ m: OverviewModel, org: String, now: Date) -> PageView {
        PageView(title: "Overview", summary: "What LLM calls cost, where spend is heading this month, and what routing saved.",
                 template: "overview", kpis: kpis(m, scope: "org"),
                 charts: ["burn": burnChart(m, title: "Spend by team per \(m.range.hourly ? "hour" : "day")"),
                          "forecast": forecastChart(m), "gauge": gauge(m, scope: "org")],
                 tables: [teamsTable(m), outcomesTable(m.outcomes, range: m.range)],
                 json: JSONFields.document(json(m, org: org), range: m.range, now: now))
    }
}
