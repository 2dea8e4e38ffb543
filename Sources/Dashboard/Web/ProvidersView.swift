import FinOpsCore
import Foundation

/// The Providers & models page and `/api/v1/providers`: spend by provider, latency p50/p95 by
/// model (from the rollups' latency histograms), error and failover counts.
enum ProvidersView {
    static func page(range: DashboardRange, rows: [SpendRollup], now: Date) -> PageView {
        let providers = Breakdown(range: range, rows: rows) { $0.provider.isEmpty ? "(none)" : $0.provider }
        let models = Breakdown(range: range, rows: rows) { "\($0.provider.isEmpty ? "(none)" : $0.provider)/\($0.model.isEmpty ? "(none)" : $0.model)" }
        let t = providers.total
        let failoverShare = t.requests > 0 ? Double(t.failovers) / Double(t.requests) : nil
        let kpis: [PageView.KPI] = [
            .init(label: "Providers used", value: DisplayFormat.grouped(providers.groups.count), detail: "\(models.groups.count) models"),
            .init(label: "Requests", value: DisplayFormat.count(t.requests), detail: "\(DisplayFormat.money(t.cost)) spent"),
            .init(label: "Errors", value: DisplayFormat.count(t.errors), detail: "\(t.errorRate.map(DisplayFormat.percent) ?? "—") of requests",
                  tone: (t.errorRate ?? 0) > 0.05 ? "critical" : (t.errorRate ?? 0) > 0.01 ? "warning" : nil),
            .init(label: "Failovers", value: DisplayFormat.count(t.failovers), detail: "\(failoverShare.map(DisplayFormat.percent) ?? "—") answered by a fallback"),
            .init(label: "Latency p50 / p95", value: "\(t.p50.map { DisplayFormat.duration(ms: $0) } ?? "—") / \(t.p95.map { DisplayFormat.duration(ms: $0) } ?? "—")",
                  detail: "all providers"),
        ]
        let spendChart = BarChart(title: "Spend by provider", measures: ["Spend"],
                                  rows: providers.groups.map { .init(label: $0.name, values: [$0.totals.cost.usd]) }, format: DisplayFormat.usdTick)
            .sized(ChartSize.half).render()
        let latencyChart = BarChart(title: "Latency p50 and p95 by model", measures: ["p50", "p95"],
                                    rows: models.groups.prefix(12).map { .init(label: $0.name, values: [$0.totals.p50 ?? .nan, $0.totals.p95 ?? .nan]) },
                                    format: { DisplayFormat.duration(ms: $0) }).sized(ChartSize.full).render()
        let failureChart = LineChart(title: "Errors and failovers per \(range.hourly ? "hour" : "day")", xLabels: range.bucketLabels, series: [
            .init(name: "Errors", values: providers.series.map { Double($0.errors) }, color: ChartPalette.color(3)),
            .init(name: "Failovers", values: providers.series.map { Double($0.failovers) }, color: ChartPalette.color(0)),
        ], yFormat: { DisplayFormat.count(Int($0.rounded())) }).sized(ChartSize.half).render()
        return PageView(title: "Providers & models", summary: "Where the money goes by provider and model, how fast they answer, and how often they fail.",
                        template: "providers", kpis: kpis,
                        charts: ["spend": spendChart, "latency": latencyChart, "failures": failureChart],
                        tables: [providerTable(providers), modelTable(models)],
                        json: JSONFields.document([
                            ("totals", .object(JSONFields.totals(t))),
                            ("providers", .array(providers.groups.map { JSONFields.named($0.name, $0.totals) })),
                            ("models", .array(models.groups.map { JSONFields.named($0.name, $0.totals) })),
                            ("series", .array(zip(range.buckets, providers.series).map { JSONFields.bucket($0, $1) })),
                        ], range: range, now: now))
    }

    static func providerTable(_ b: Breakdown) -> DataTable {
        DataTable(id: "providers", caption: "Spend, errors and failovers by provider",
                  columns: [.init("Provider"), .init("Spend", numeric: true), .init("Share", numeric: true), .init("Requests", numeric: true),
                            .init("Errors", numeric: true), .init("Error rate", numeric: true), .init("Failovers", numeric: true),
                            .init("p50", numeric: true), .init("p95", numeric: true)],
                  rows: b.groups.map { g in
                      [DataTable.Cell(g.name), .money(g.totals.cost), .percent(b.share(g)), .count(g.totals.requests), .count(g.totals.errors),
                       .percent(g.totals.errorRate), .count(g.totals.failovers), .ms(g.totals.p50), .ms(g.totals.p95)]
                  })
    }

    static func modelTable(_ b: Breakdown) -> DataTable {
        DataTable(id: "models", caption: "Latency, spend and failures by model",
                  columns: [.init("Provider / model"), .init("Requests", numeric: true), .init("Spend", numeric: true),
                            .init("Cost / request", numeric: true), .init("p50", numeric: true), .init("p95", numeric: true),
                            .init("Errors", numeric: true), .init("Failovers", numeric: true), .init("p95 trend")],
                  rows: b.groups.map { g in
                      [DataTable.Cell(g.name), .count(g.totals.requests), .money(g.totals.cost), .usd(g.totals.costPerRequestUSD),
                       .ms(g.totals.p50), .ms(g.totals.p95), .count(g.totals.errors), .count(g.totals.failovers),
                       DataTable.Cell("", raw: "", svg: Sparkline(label: "\(g.name) p95 latency", values: g.series.map(\.p95)).render())]
                  })
    }
}
