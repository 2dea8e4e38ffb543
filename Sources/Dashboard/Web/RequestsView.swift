import FinOpsCore
import Foundation
import Storage

/// The Requests page and `/api/v1/requests`: raw calls, newest first, filtered and paged by
/// cursor (the only view that reads `llm_requests` instead of rollups).
enum RequestsView {
    static func page(_ filters: RequestFilters, rows: [TelemetryRecord], now: Date) -> PageView {
        let next = rows.count == filters.limit ? rows.last.map { RequestCursor(after: $0).token } : nil
        var spend = Money.zero
        for r in rows { spend += r.cost }
        let table = DataTable(
            id: "requests", caption: "Requests, newest first",
            columns: [.init("Time (UTC)"), .init("Team"), .init("User"), .init("Use case"), .init("Provider"), .init("Model"),
                      .init("Status"), .init("In tok", numeric: true), .init("Out tok", numeric: true), .init("Cost", numeric: true),
                      .init("Latency", numeric: true), .init("Request id")],
            rows: rows.map { r in
                [DataTable.Cell(DisplayFormat.timestamp(r.time), raw: CivilDate.iso8601(r.time)),
                 DataTable.Cell(r.team, href: DashboardLinks.team(r.team, range: nil)), DataTable.Cell(r.user), DataTable.Cell(r.useCase),
                 DataTable.Cell(r.provider), DataTable.Cell(r.model.isEmpty ? r.requestedModel : r.model),
                 DataTable.Cell(r.status.rawValue + (r.errorKind.isEmpty ? "" : " (\(r.errorKind))"), raw: r.status.rawValue,
                                tone: "status-\(r.status.rawValue)"),
                 .count(r.inputTokens), .count(r.outputTokens),
                 DataTable.Cell(DisplayFormat.money(r.cost) + (r.estimated ? "*" : ""), raw: r.cost.decimalString),
                 .ms(r.latencyMs), DataTable.Cell(r.requestID)]
            },
            emptyMessage: "No requests match these filters")
        let base = DashboardLinks.url("/requests", filters.items)
        let kpis: [PageView.KPI] = [
            .init(label: "Shown", value: DisplayFormat.grouped(rows.count), detail: next == nil ? "last page" : "more on the next page"),
            .init(label: "Spend on this page", value: DisplayFormat.money(spend), detail: "* = cost estimated from text"),
        ]
        var extra: [String: Any] = [
            "filters": ["team": filters.team ?? "", "model": filters.model ?? "", "provider": filters.provider ?? "",
                        "from": filters.fromText ?? "", "to": filters.toText ?? "", "limit": String(filters.limit)],
            "statuses": [["value": "", "label": "any status", "selected": filters.status == nil]]
                + RequestStatus.allCases.map { ["value": $0.rawValue, "label": $0.rawValue, "selected": filters.status == $0] },
            "paged": filters.cursor != nil,
            "firstHref": base,
            "hasNext": next != nil,
            "nextHref": "",
        ]
        if let next {
            extra["nextHref"] = DashboardLinks.url("/requests", filters.items + [("cursor", next)])
        }
        return PageView(title: "Requests", summary: "Recent calls with their cost, newest first. Filter by team, model, provider, status and date.",
                        template: "requests", kpis: kpis, tables: [table], extra: extra,
                        json: JSONFields.document([
                            ("filters", .object(filters.items.filter { $0.0 != "limit" }.map { ($0.0, JSONFields.string($0.1)) } + [("limit", .int(filters.limit))])),
                            ("data", .array(rows.map(json))),
                            ("next_cursor", JSONFields.string(next)),
                        ], range: nil, now: now))
    }

    static func json(_ r: TelemetryRecord) -> JSONValue {
        .object([
            ("time", .string(CivilDate.iso8601(r.time))), ("time_ms", .number(String(SpendRollup.Granularity.epochMillis(r.time)))),
            ("request_id", .string(r.requestID)), ("org", .string(r.org)), ("team", .string(r.team)), ("user", .string(r.user)),
            ("key_id", .string(r.keyID)), ("use_case", .string(r.useCase)), ("strategy", .string(r.strategy)),
            ("route_reason", .string(r.routeReason)), ("requested_model", .string(r.requestedModel)), ("provider", .string(r.provider)),
            ("model", .string(r.model)), ("baseline_model", .string(r.baselineModel)), ("input_tokens", .int(r.inputTokens)),
            ("cached_input_tokens", .int(r.cachedInputTokens)), ("output_tokens", .int(r.outputTokens)),
            ("cost_usd", JSONFields.money(r.cost)), ("baseline_cost_usd", JSONFields.money(r.baselineCost)), ("estimated", .bool(r.estimated)),
            ("latency_ms", JSONFields.number(r.latencyMs)), ("ttft_ms", JSONFields.number(r.ttftMs)), ("status", .string(r.status.rawValue)),
            ("error_kind", .string(r.errorKind)), ("http_status", .int(r.httpStatus)), ("attempts", .array(r.attempts.map { .string($0) })),
            ("cache", .string(r.cache)), ("streamed", .bool(r.streamed)), ("outcome", JSONFields.string(r.outcome)),
        ])
    }
}
