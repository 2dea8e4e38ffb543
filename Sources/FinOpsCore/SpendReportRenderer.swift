import Foundation

/// Renders a `SpendReport` as an aligned text table (people), CSV (spreadsheets) or JSON
/// (scripts). Money is printed as exact decimals from nano-dollars, never via a Double.
public enum SpendReportRenderer {
    public enum Format: String, Sendable, CaseIterable { case table, csv, json }

    public static func render(_ report: SpendReport, as format: Format) -> String {
        switch format {
        case .table: table(report)
        case .csv: csv(report)
        case .json: String(decoding: json(report).serialized(), as: UTF8.self) + "\n"
        }
    }

    // MARK: Table

    static func table(_ r: SpendReport) -> String {
        let t = r.total
        var out = "FinOps report: last \(r.period) (\(CivilDate.iso8601(r.period.start)) to \(CivilDate.iso8601(r.period.end))), team: \(r.team ?? "all")\n"
        out += "requests \(t.requests)  spend $\(t.cost.decimalString)  baseline $\(t.baselineCost.decimalString)  "
        out += "savings $\(t.savings.decimalString) (\(percent(SpendReport.savingsPercent(t))))  "
        out += "errors \(t.errors) (\(percent(share(t.errors, t.requests))))  failovers \(t.failovers)  "
        out += "cache hits \(t.cacheHits)  avg latency \(Int(t.averageLatencyMs.rounded())) ms\n"
        let header = ["requests", "tokens", "spend", "savings", "savings %"]
        func rows(_ lines: [SpendReport.Line]) -> [[String]] {
            lines.map { [$0.name, "\($0.totals.requests)", "\($0.totals.totalTokens)", "$" + $0.totals.cost.decimalString,
                         "$" + $0.totals.savings.decimalString, percent(SpendReport.savingsPercent($0.totals))] }
        }
        out += section("By team", ["team"] + header, rows(r.byTeam))
        out += section("Top models by spend", ["provider/model"] + header, rows(r.topModels))
        out += section("Cost per outcome (use-case spend / outcomes reported)",
                       ["team", "use case", "outcome", "outcomes", "use-case spend", "cost per outcome", "tagged-call spend"],
                       r.outcomes.map { [$0.team, $0.useCase, $0.outcome, "\($0.outcomes)", "$" + $0.useCaseSpend.decimalString,
                                         "$" + $0.costPerOutcome.decimalString, "$" + $0.taggedSpend.decimalString] })
        out += section("Failovers (calls served by a fallback)", ["provider/model", "failovers", "of requests"],
                       r.failovers.map { [$0.name, "\($0.totals.failovers)", percent(share($0.totals.failovers, $0.totals.requests))] })
        out += section("Daily spend (UTC)", ["day"] + header, rows(r.byDay))
        return out
    }

    private static func section(_ title: String, _ header: [String], _ rows: [[String]]) -> String {
        guard !rows.isEmpty else { return "\n\(title): none\n" }
        let widths = header.indices.map { c in ([header] + rows).map { $0[c].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return i == 0 ? cell + pad : pad + cell  // names left, numbers right
            }.joined(separator: "  ")
        }
        return "\n\(title)\n" + ([line(header)] + rows.map(line)).joined(separator: "\n") + "\n"
    }

    private static func share(_ part: Int, _ whole: Int) -> Double { whole == 0 ? 0 : Double(part) / Double(whole) * 100 }
    private static func percent(_ value: Double) -> String { String(format: "%.1f%%", value) }

    // MARK: CSV

    static let csvHeader = ["section", "name", "requests", "errors", "failovers", "cache_hits", "input_tokens",
                            "cached_input_tokens", "output_tokens", "spend_usd", "baseline_usd", "savings_usd",
                            "outcomes", "cost_per_outcome_usd"]

    static func csv(_ r: SpendReport) -> String {
        func row(_ section: String, _ name: String, _ t: SpendTotals) -> [String] {
            [section, name, "\(t.requests)", "\(t.errors)", "\(t.failovers)", "\(t.cacheHits)", "\(t.inputTokens)",
             "\(t.cachedInputTokens)", "\(t.outputTokens)", t.cost.decimalString, t.baselineCost.decimalString,
             t.savings.decimalString, "", ""]
        }
        var rows = [csvHeader, row("total", r.team ?? "all", r.total)]
        rows += r.byTeam.map { row("team", $0.name, $0.totals) }
        rows += r.topModels.map { row("model", $0.name, $0.totals) }
        rows += r.failovers.map { row("failover", $0.name, $0.totals) }
        rows += r.byDay.map { row("day", $0.name, $0.totals) }
        rows += r.outcomes.map { o in
            ["outcome", "\(o.team)/\(o.useCase)/\(o.outcome)", "", "", "", "", "", "", "", o.useCaseSpend.decimalString,
             "", "", "\(o.outcomes)", o.costPerOutcome.decimalString]
        }
        return rows.map { $0.map(CSVField.escape).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    // MARK: JSON

    static func json(_ r: SpendReport) -> JSONValue {
        func totals(_ t: SpendTotals) -> [(String, JSONValue)] {
            [("requests", .int(t.requests)), ("errors", .int(t.errors)), ("failovers", .int(t.failovers)),
             ("cache_hits", .int(t.cacheHits)), ("input_tokens", .int(t.inputTokens)),
             ("cached_input_tokens", .int(t.cachedInputTokens)), ("output_tokens", .int(t.outputTokens)),
             ("spend_usd", .number(t.cost.decimalString)), ("baseline_usd", .number(t.baselineCost.decimalString)),
             ("savings_usd", .number(t.savings.decimalString)),
             ("savings_percent", .double((SpendReport.savingsPercent(t) * 100).rounded() / 100)),
             ("avg_latency_ms", .double(t.averageLatencyMs.rounded()))]
        }
        func lines(_ l: [SpendReport.Line]) -> JSONValue { .array(l.map { .object([("name", .string($0.name))] + totals($0.totals)) }) }
        return .object([
            ("period", .object([("label", .string(r.period.description)), ("start", .string(CivilDate.iso8601(r.period.start))),
                                ("end", .string(CivilDate.iso8601(r.period.end)))])),
            ("team", r.team.map { .string($0) } ?? .null),
            ("total", .object(totals(r.total))),
            ("by_team", lines(r.byTeam)), ("top_models", lines(r.topModels)), ("failovers", lines(r.failovers)),
            ("by_day", lines(r.byDay)),
            ("outcomes", .array(r.outcomes.map { o in
                .object([("team", .string(o.team)), ("use_case", .string(o.useCase)), ("outcome", .string(o.outcome)),
                         ("outcomes", .int(o.outcomes)), ("use_case_spend_usd", .number(o.useCaseSpend.decimalString)),
                         ("tagged_spend_usd", .number(o.taggedSpend.decimalString)),
                         ("cost_per_outcome_usd", .number(o.costPerOutcome.decimalString))])
            })),
        ])
    }
}
