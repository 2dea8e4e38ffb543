import FinOpsCore
import Foundation

/// The Budgets page and `/api/v1/budgets`: every budget in force with the spend the enforcer
/// counted, the thresholds it crossed, and where its window is projected to end.
enum BudgetsView {
    /// Most used first (forecast breaks ties), then by id.
    static func sorted(_ statuses: [BudgetStatus]) -> [BudgetStatus] {
        statuses.sorted { a, b in
            let (ua, ub) = (a.utilization, b.utilization)
            if ua != ub { return ua > ub }
            let (fa, fb) = (a.forecastUtilization ?? 0, b.forecastUtilization ?? 0)
            return fa != fb ? fa > fb : a.id < b.id
        }
    }

    static func page(_ statuses: [BudgetStatus], now: Date, title: String = "Budgets") -> PageView {
        let list = sorted(statuses)
        let over = list.filter { $0.utilization >= 1 }.count
        let heading = list.filter { ($0.forecastUtilization ?? 0) >= 1 }.count
        let kpis: [PageView.KPI] = [
            .init(label: "Budgets in force", value: DisplayFormat.grouped(list.count), detail: "config, admin API and virtual keys"),
            .init(label: "At or over the limit", value: DisplayFormat.grouped(over), detail: "spend ≥ 100% of the limit",
                  tone: over > 0 ? "critical" : nil),
            .init(label: "Forecast over the limit", value: DisplayFormat.grouped(heading), detail: "projected to end the window above 100%",
                  tone: heading > 0 ? "warning" : nil),
            .init(label: "Highest utilization", value: list.first.map { DisplayFormat.percent($0.utilization) } ?? "—",
                  detail: list.first?.id ?? "no budgets", tone: list.first.map { Gauge.tone($0.utilization) == "ok" ? nil : Gauge.tone($0.utilization) } ?? nil),
        ]
        return PageView(title: title, summary: "Utilization of every budget in force, with its alert thresholds and forecast.",
                        template: "budgets", kpis: kpis, tables: [table(list)],
                        json: JSONFields.document([("budgets", .array(list.map(json)))], range: nil, now: now))
    }

    static func table(_ list: [BudgetStatus]) -> DataTable {
        DataTable(id: "budgets", caption: "Budgets by utilization",
                  columns: [.init("Scope"), .init("Subject"), .init("Period"), .init("Utilization"), .init("Spent", numeric: true),
                            .init("Limit", numeric: true), .init("Used", numeric: true), .init("Forecast", numeric: true),
                            .init("Forecast %", numeric: true), .init("Crossed"), .init("At 100%"), .init("Resets (UTC)")],
                  rows: list.map { b in
                      let bar = UtilizationBar(label: b.id, utilization: b.utilization, forecast: b.forecastUtilization,
                                               thresholds: b.policy.thresholds).render()
                      let subject = b.policy.scope == .team ? DataTable.Cell(b.subject, href: DashboardLinks.team(b.subject, range: nil)) : DataTable.Cell(b.subject)
                      return [DataTable.Cell(b.policy.scope.rawValue), subject, DataTable.Cell(b.policy.period.rawValue),
                              DataTable.Cell("", raw: "", svg: bar), .money(b.spent), .money(b.policy.limit),
                              DataTable.Cell.percent(b.utilization.isFinite ? b.utilization : nil).toned(Gauge.tone(b.utilization)),
                              b.forecast.map { .money($0.expected) } ?? DataTable.Cell("—", raw: ""), .percent(b.forecastUtilization),
                              DataTable.Cell(b.crossedThresholds.map { "\($0)%" }.joined(separator: ", "), raw: b.crossedThresholds.map(String.init).joined(separator: " ")),
                              DataTable.Cell(b.policy.action.rawValue),
                              DataTable.Cell(DisplayFormat.timestamp(b.window.end), raw: CivilDate.iso8601(b.window.end))]
                  },
                  emptyMessage: "No budgets in force. Add budgets.limits to the config file or PUT /admin/budgets.")
    }

    static func json(_ b: BudgetStatus) -> JSONValue {
        let forecast: JSONValue = b.forecast.map { f in
            .object([("linear_usd", JSONFields.money(f.linear)), ("weekday_aware_usd", JSONFields.money(f.weekdayAware)),
                     ("expected_usd", JSONFields.money(f.expected)), ("daily_run_rate_usd", f.dailyRunRate.map(JSONFields.money) ?? .null)])
        } ?? .null
        return .object([
            ("id", .string(b.id)), ("scope", .string(b.policy.scope.rawValue)), ("subject", .string(b.subject)),
            ("policy_subject", .string(b.policy.subject)), ("period", .string(b.policy.period.rawValue)),
            ("limit_usd", JSONFields.money(b.policy.limit)), ("spent_usd", JSONFields.money(b.spent)),
            ("utilization", JSONFields.number(b.utilization)), ("thresholds", .array(b.policy.thresholds.map { .int($0) })),
            ("crossed_thresholds", .array(b.crossedThresholds.map { .int($0) })), ("action", .string(b.policy.action.rawValue)),
            ("window_start", JSONFields.date(b.window.start)), ("window_end", JSONFields.date(b.window.end)),
            ("forecast", forecast), ("forecast_utilization", JSONFields.number(b.forecastUtilization)),
        ])
    }
}

extension DataTable.Cell {
    func toned(_ tone: String) -> DataTable.Cell {
        var c = self
        c.tone = tone == "ok" ? nil : "tone-\(tone)"
        return c
    }
}
