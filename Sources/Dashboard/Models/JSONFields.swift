import FinOpsCore
import Foundation

/// The JSON building blocks every `/api/v1` view shares (see `docs/openapi.yaml`): money as
/// exact decimal numbers in USD, ratios and latencies as numbers or null, times as ISO 8601.
enum JSONFields {
    static func money(_ m: Money) -> JSONValue { .number(m.decimalString) }
    static func number(_ v: Double?) -> JSONValue {
        guard let v, v.isFinite else { return .null }
        return .number(CSVNumber.text(v))
    }
    static func date(_ d: Date) -> JSONValue { .string(CivilDate.iso8601(d)) }
    static func string(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }

    static func range(_ r: DashboardRange) -> JSONValue {
        .object([("kind", .string(r.kind.rawValue)), ("from", date(r.from)), ("to", date(r.to)),
                 ("granularity", .string(r.granularity.rawValue))])
    }

    /// The `SpendSummary` schema.
    static func totals(_ t: SpendTotals) -> [(String, JSONValue)] {
        [("requests", .int(t.requests)), ("errors", .int(t.errors)), ("failovers", .int(t.failovers)),
         ("cache_hits", .int(t.cacheHits)), ("input_tokens", .int(t.inputTokens)), ("output_tokens", .int(t.outputTokens)),
         ("cost_usd", money(t.cost)), ("baseline_cost_usd", money(t.baselineCost)), ("savings_usd", money(t.savings)),
         ("savings_fraction", number(t.savingsFraction)), ("cost_per_request_usd", number(t.costPerRequestUSD)),
         ("error_rate", number(t.errorRate)), ("latency_p50_ms", number(t.p50)), ("latency_p95_ms", number(t.p95))]
    }

    /// A `SpendSummary` with a leading `name`.
    static func named(_ name: String, _ t: SpendTotals) -> JSONValue { .object([("name", .string(name))] + totals(t)) }

    /// One bucket of a series: `{bucket, …SpendSummary}`.
    static func bucket(_ start: Date, _ t: SpendTotals) -> JSONValue { .object([("bucket", date(start))] + totals(t)) }

    static func document(_ fields: [(String, JSONValue)], range: DashboardRange?, now: Date) -> JSONValue {
        var head: [(String, JSONValue)] = [("generated_at", date(now))]
        if let range { head.append(("range", JSONFields.range(range))) }
        return .object(head + fields)
    }
}
