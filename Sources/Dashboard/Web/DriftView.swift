import FinOpsCore
import Foundation

/// The Drift & anomalies page and `/api/v1/drift`.
enum DriftView {
    static func page(_ m: DriftModel, now: Date) -> PageView {
        let counts = m.alertCounts
        let drifting = m.groups.filter { ($0.costChange ?? 0) > 0.2 || ($0.p95Change ?? 0) > 0.2 }.count
        let current = m.total
        let cpr = current.costPerRequestUSD, base = m.baseline.costPerRequestUSD
        let kpis: [PageView.KPI] = [
            .init(label: "Alerts", value: DisplayFormat.grouped(m.alerts.count),
                  detail: "\(counts[.critical] ?? 0) critical · \(counts[.warning] ?? 0) warning · \(counts[.info] ?? 0) info",
                  tone: (counts[.critical] ?? 0) > 0 ? "critical" : nil),
            .init(label: "Still firing", value: DisplayFormat.grouped(m.firing), detail: "alerts not yet resolved",
                  tone: m.firing > 0 ? "warning" : nil),
            .init(label: "Cost / request", value: cpr.map(DisplayFormat.usd) ?? "—",
                  detail: "baseline \(base.map(DisplayFormat.usd) ?? "—") (\(DriftModel.Group.change(cpr, base).map(DisplayFormat.change) ?? "—"))"),
            .init(label: "p95 latency", value: current.p95.map { DisplayFormat.duration(ms: $0) } ?? "—",
                  detail: "baseline \(m.baseline.p95.map { DisplayFormat.duration(ms: $0) } ?? "—") (\(DriftModel.Group.change(current.p95, m.baseline.p95).map(DisplayFormat.change) ?? "—"))"),
            .init(label: "Drifting use cases", value: DisplayFormat.grouped(drifting),
                  detail: "cost / request or p95 more than 20% above baseline", tone: drifting > 0 ? "warning" : nil),
        ]
        let labels = m.range.bucketLabels
        let costChart = LineChart(title: "Cost per request per \(m.range.hourly ? "hour" : "day") against the trailing baseline", xLabels: labels, series: [
            .init(name: "Cost / request", values: m.series.map(\.costPerRequestUSD), color: ChartPalette.color(0)),
            .init(name: "Baseline", values: labels.map { _ in base }, dashed: true, color: ChartPalette.baseline),
        ], yFormat: DisplayFormat.usdTick).sized(ChartSize.half).render()
        let latencyChart = LineChart(title: "p95 latency per \(m.range.hourly ? "hour" : "day") against the trailing baseline", xLabels: labels, series: [
            .init(name: "p95 latency", values: m.series.map(\.p95), color: ChartPalette.color(1)),
            .init(name: "Baseline", values: labels.map { _ in m.baseline.p95 }, dashed: true, color: ChartPalette.baseline),
        ], yFormat: { DisplayFormat.duration(ms: $0) }).sized(ChartSize.half).render()
        let timeline = AlertTimeline(title: "Alerts by severity over the range", from: m.range.from, to: m.range.to,
                                     marks: m.alerts.map { .init(time: $0.time, severity: $0.severity, label: $0.title) },
                                     hourly: m.range.hourly).render()
        return PageView(title: "Drift & anomalies",
                        summary: "Alerts raised by the scheduler, and cost and latency per use case against the \(m.range.kind.label) before.",
                        template: "drift", kpis: kpis,
                        charts: ["timeline": timeline, "cost": costChart, "latency": latencyChart],
                        tables: [alertsTable(m.alerts), groupsTable(m)],
                        json: JSONFields.document(json(m), range: m.range, now: now))
    }

    static func alertsTable(_ alerts: [AlertRecord]) -> DataTable {
        DataTable(id: "alerts", caption: "Alerts, newest first",
                  columns: [.init("Time (UTC)"), .init("Severity"), .init("State"), .init("Kind"), .init("Team"), .init("Alert"),
                            .init("Value", numeric: true), .init("Threshold", numeric: true), .init("Evidence"), .init("Delivery")],
                  rows: alerts.map { a in
                      [DataTable.Cell(DisplayFormat.timestamp(a.time), raw: CivilDate.iso8601(a.time)),
                       DataTable.Cell(a.severity.rawValue, tone: "sev-\(a.severity.rawValue)"), DataTable.Cell(a.state.rawValue),
                       DataTable.Cell(a.kind), a.team.isEmpty ? DataTable.Cell("org-wide", raw: "")
                           : DataTable.Cell(a.team, href: DashboardLinks.team(a.team, range: nil)),
                       DataTable.Cell(a.title + (a.message.isEmpty ? "" : " — " + a.message), raw: a.title + (a.message.isEmpty ? "" : ": " + a.message)),
                       a.value.map { DataTable.Cell(CSVNumber.text($0)) } ?? DataTable.Cell("—", raw: ""),
                       a.threshold.map { DataTable.Cell(CSVNumber.text($0)) } ?? DataTable.Cell("—", raw: ""),
                       DataTable.Cell(a.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")),
                       DataTable.Cell(a.deliveryState.rawValue)]
                  },
                  emptyMessage: "No alerts in this range")
    }

    static func groupsTable(_ m: DriftModel) -> DataTable {
        DataTable(id: "use_cases", caption: "Cost per request and p95 latency by team and use case vs the trailing baseline",
                  columns: [.init("Team"), .init("Use case"), .init("Requests", numeric: true), .init("Cost / request", numeric: true),
                            .init("Baseline", numeric: true), .init("Change", numeric: true), .init("p95", numeric: true),
                            .init("Baseline p95", numeric: true), .init("p95 change", numeric: true), .init("Cost / request trend")],
                  rows: m.groups.map { g in
                      [DataTable.Cell(g.team, href: DashboardLinks.team(g.team, range: m.range.kind)), DataTable.Cell(g.useCase.isEmpty ? "(none)" : g.useCase, raw: g.useCase),
                       .count(g.current.requests), .usd(g.current.costPerRequestUSD), .usd(g.baseline.costPerRequestUSD),
                       .change(g.costChange), .ms(g.current.p95), .ms(g.baseline.p95), .change(g.p95Change),
                       DataTable.Cell("", raw: "", svg: Sparkline(label: "\(g.team) \(g.useCase) cost per request",
                                                                  values: g.series.map(\.costPerRequestUSD),
                                                                  baseline: g.baseline.costPerRequestUSD).render())]
                  })
    }

    static func json(_ m: DriftModel) -> [(String, JSONValue)] {
        [
            ("alerts", .array(m.alerts.map(alertJSON))),
            ("baseline", .object([("from", JSONFields.date(m.range.previous.from)), ("to", JSONFields.date(m.range.previous.to))] + JSONFields.totals(m.baseline))),
            ("series", .array(zip(m.range.buckets, m.series).map { JSONFields.bucket($0, $1) })),
            ("use_cases", .array(m.groups.map { g in
                .object([("team", .string(g.team)), ("use_case", .string(g.useCase)),
                         ("current", .object(JSONFields.totals(g.current))), ("baseline", .object(JSONFields.totals(g.baseline))),
                         ("cost_per_request_change", JSONFields.number(g.costChange)), ("latency_p95_change", JSONFields.number(g.p95Change))])
            })),
        ]
    }

    static func alertJSON(_ a: AlertRecord) -> JSONValue {
        .object([("id", a.id.map { .int(Int($0)) } ?? .null), ("time", JSONFields.date(a.time)), ("fingerprint", .string(a.fingerprint)),
                 ("kind", .string(a.kind)), ("severity", .string(a.severity.rawValue)), ("state", .string(a.state.rawValue)),
                 ("org", .string(a.org)), ("team", .string(a.team)), ("title", .string(a.title)), ("message", .string(a.message)),
                 ("value", JSONFields.number(a.value)), ("threshold", JSONFields.number(a.threshold)),
                 ("labels", .object(a.labels.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
                 ("delivery_state", .string(a.deliveryState.rawValue)), ("delivery_attempts", .int(a.deliveryAttempts)),
                 ("delivered_at", a.deliveredAt.map(JSONFields.date) ?? .null), ("resolved_at", a.resolvedAt.map(JSONFields.date) ?? .null)])
    }
}
