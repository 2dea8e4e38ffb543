import FinOpsCore
import Foundation

/// The Strategies page and `/api/v1/strategies`: volume, cost and savings against the baseline
/// per routing strategy (cost-first, performance-first, auto, fixed, …).
enum StrategiesView {
    static func page(range: DashboardRange, rows: [SpendRollup], now: Date) -> PageView {
        let b = Breakdown(range: range, rows: rows) { $0.strategy.isEmpty ? "(none)" : $0.strategy }
        let t = b.total
        let best = b.groups.filter { $0.totals.baselineCost.nanos > 0 }.max { $0.totals.savings < $1.totals.savings }
        let kpis: [PageView.KPI] = [
            .init(label: "Strategies in use", value: DisplayFormat.grouped(b.groups.count), detail: "\(DisplayFormat.count(t.requests)) requests"),
            .init(label: "Savings vs baseline", value: DisplayFormat.money(t.savings),
                  detail: t.savingsFraction.map { "\(DisplayFormat.percent($0)) of \(DisplayFormat.money(t.baselineCost))" } ?? "no baseline cost",
                  tone: t.savings.nanos < 0 ? "critical" : "good"),
            .init(label: "Top saver", value: best?.name ?? "—",
                  detail: best.map { "\(DisplayFormat.money($0.totals.savings)) saved" } ?? "no strategy saved anything yet"),
            .init(label: "Spend", value: DisplayFormat.money(t.cost), detail: "\(t.costPerRequestUSD.map(DisplayFormat.usd) ?? "—") per request"),
        ]
        let savingsChart = BarChart(title: "Savings against the baseline by strategy", measures: ["Savings"],
                                    rows: b.groups.map { .init(label: $0.name, values: [$0.totals.savings.usd]) }, format: DisplayFormat.usdTick)
            .sized(ChartSize.half).render()
        let volume = StackedAreaChart(title: "Requests by strategy per \(range.hourly ? "hour" : "day")", xLabels: range.bucketLabels,
                                      layers: b.groups.enumerated().map { i, g in
                                          .init(name: g.name, values: g.series.map { Double($0.requests) }, color: ChartPalette.color(i))
                                      }, yFormat: { DisplayFormat.count(Int($0.rounded())) }).sized(ChartSize.half).render()
        let table = DataTable(id: "strategies", caption: "Volume, cost and savings by routing strategy",
                              columns: [.init("Strategy"), .init("Requests", numeric: true), .init("Share of requests", numeric: true),
                                        .init("Spend", numeric: true), .init("Baseline cost", numeric: true), .init("Savings", numeric: true),
                                        .init("Savings %", numeric: true), .init("Cost / request", numeric: true), .init("Trend")],
                              rows: b.groups.map { g in
                                  [DataTable.Cell(g.name), .count(g.totals.requests),
                                   .percent(t.requests > 0 ? Double(g.totals.requests) / Double(t.requests) : nil),
                                   .money(g.totals.cost), .money(g.totals.baselineCost),
                                   DataTable.Cell.money(g.totals.savings).toned(g.totals.savings.nanos < 0 ? "critical" : "ok"),
                                   .percent(g.totals.savingsFraction), .usd(g.totals.costPerRequestUSD),
                                   DataTable.Cell("", raw: "", svg: Sparkline(label: "\(g.name) savings per \(range.hourly ? "hour" : "day")",
                                                                              values: g.series.map { $0.savings.usd }).render())]
                              })
        return PageView(title: "Strategies", summary: "What each routing strategy handled, what it cost, and what it saved against the baseline model.",
                        template: "strategies", kpis: kpis, charts: ["savings": savingsChart, "volume": volume], tables: [table],
                        json: JSONFields.document([
                            ("totals", .object(JSONFields.totals(t))),
                            ("strategies", .array(b.groups.map { JSONFields.named($0.name, $0.totals) })),
                            ("series", .array(zip(range.buckets, b.series).map { JSONFields.bucket($0, $1) })),
                        ], range: range, now: now))
    }
}
