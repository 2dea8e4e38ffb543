import FinOpsCore
import Foundation

/// The team drill-down (`/teams/{team}`, `/api/v1/teams/{team}`): the Overview's numbers for
/// one team, plus its use cases, models, people, budgets and alerts.
enum TeamView {
    static func page(team: String, model m: OverviewModel, rangeRows: [SpendRollup], budgets: [BudgetStatus],
                     alerts: [AlertRecord], now: Date) -> PageView {
        let useCases = Breakdown(range: m.range, rows: rangeRows) { $0.useCase.isEmpty ? "(none)" : $0.useCase }
        let models = Breakdown(range: m.range, rows: rangeRows) { "\($0.provider)/\($0.model)" }
        let users = Breakdown(range: m.range, rows: rangeRows) { $0.user.isEmpty ? "(unattributed)" : $0.user }
        let teamBudgets = BudgetsView.sorted(budgets.filter { $0.policy.scope == .team && $0.subject == team })
        var kpis = OverviewView.kpis(m, scope: "team")
        kpis.append(.init(label: "Latency p95", value: m.total.p95.map { DisplayFormat.duration(ms: $0) } ?? "—",
                          detail: "p50 \(m.total.p50.map { DisplayFormat.duration(ms: $0) } ?? "—")"))
        let layers = useCases.groups.prefix(6).enumerated().map { i, g in
            StackedAreaChart.Layer(name: g.name, values: g.series.map(\.cost.usd), color: ChartPalette.color(i))
        }
        let burn = StackedAreaChart(title: "\(team) spend by use case per \(m.range.hourly ? "hour" : "day")", xLabels: m.range.bucketLabels,
                                    layers: layers, yFormat: DisplayFormat.usdTick).sized(ChartSize.wide).render()
        var budgetsTable = BudgetsView.table(teamBudgets)
        budgetsTable.caption = "Budgets of this team"
        budgetsTable.emptyMessage = "No budget caps this team"
        var alertsTable = DriftView.alertsTable(alerts)
        alertsTable.caption = "Alerts for this team, newest first"
        let json = JSONFields.document([("team", .string(team))] + OverviewView.json(m, org: "").filter { $0.0 != "org" && $0.0 != "teams" } + [
            ("use_cases", .array(useCases.groups.map { JSONFields.named($0.name, $0.totals) })),
            ("models", .array(models.groups.map { JSONFields.named($0.name, $0.totals) })),
            ("users", .array(users.groups.map { JSONFields.named($0.name, $0.totals) })),
            ("budgets", .array(teamBudgets.map(BudgetsView.json))),
            ("alerts", .array(alerts.map(DriftView.alertJSON))),
        ], range: m.range, now: now)
        return PageView(title: "Team \(team)", summary: "Spend, savings, budgets and alerts of one team.",
                        template: "team", kpis: kpis,
                        charts: ["burn": burn, "forecast": OverviewView.forecastChart(m), "gauge": OverviewView.gauge(m, scope: "team")],
                        tables: [breakdownTable("use_cases", "Use cases by spend", "Use case", useCases, m.range),
                                 breakdownTable("models", "Models by spend", "Provider / model", models, m.range),
                                 breakdownTable("users", "People by spend", "User", users, m.range), OverviewView.outcomesTable(m.outcomes, range: m.range),
                                 budgetsTable, alertsTable],
                        extra: ["team": team],
                        json: json)
    }

    static func breakdownTable(_ id: String, _ caption: String, _ column: String, _ b: Breakdown, _ range: DashboardRange) -> DataTable {
        DataTable(id: id, caption: caption,
                  columns: [.init(column), .init("Spend", numeric: true), .init("Share", numeric: true),
                            .init("Requests", numeric: true), .init("Cost / request", numeric: true), .init("Savings", numeric: true),
                            .init("p95", numeric: true), .init("Errors", numeric: true), .init("Trend")],
                  rows: b.groups.map { g in
                      [DataTable.Cell(g.name), .money(g.totals.cost), .percent(b.share(g)), .count(g.totals.requests),
                       .usd(g.totals.costPerRequestUSD), .money(g.totals.savings), .ms(g.totals.p95), .count(g.totals.errors),
                       DataTable.Cell("", raw: "", svg: Sparkline(label: "\(g.name) spend per \(range.hourly ? "hour" : "day")",
                                                                  values: g.series.map(\.cost.usd)).render())]
                  })
    }
}
