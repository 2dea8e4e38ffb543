import FinOpsCore
import Foundation

/// How a `TelemetryRecord` maps to an `llm_requests` row in SQLite. `columns`, `values(of:)` and
/// `record(from:)` list the fields in the same order.
enum SQLiteRecordMapping {
    static let columns = [
        "time", "request_id", "org", "team", "user_name", "key_id", "use_case", "strategy",
        "route_reason", "requested_model", "provider", "model", "baseline_model", "input_tokens",
        "cached_input_tokens", "output_tokens", "cost_nanos", "baseline_cost_nanos", "estimated",
        "latency_ms", "ttft_ms", "status", "error_kind", "http_status", "attempts", "cache",
        "complexity", "streamed", "outcome", "budget_unchecked",
    ]
    static let columnList = columns.joined(separator: ", ")

    static func values(of r: TelemetryRecord, encoder: JSONEncoder) throws -> [SQLiteValue] {
        let attempts = String(decoding: try encoder.encode(r.attempts), as: UTF8.self)
        return [
            .integer(SpendRollup.Granularity.epochMillis(r.time)),
            .text(r.requestID), .text(r.org), .text(r.team), .text(r.user), .text(r.keyID),
            .text(r.useCase), .text(r.strategy), .text(r.routeReason), .text(r.requestedModel),
            .text(r.provider), .text(r.model), .text(r.baselineModel),
            .integer(Int64(r.inputTokens)), .integer(Int64(r.cachedInputTokens)), .integer(Int64(r.outputTokens)),
            .integer(r.cost.nanos), .integer(r.baselineCost.nanos), .integer(r.estimated ? 1 : 0),
            // SQLite stores NaN as NULL, which NOT NULL would reject: one bad timer must not
            // poison a whole batch.
            .real(r.latencyMs.isFinite ? r.latencyMs : 0), r.ttftMs.flatMap { $0.isFinite ? .real($0) : nil } ?? .null,
            .text(r.status.rawValue), .text(r.errorKind), .integer(Int64(r.httpStatus)),
            .text(attempts), .text(r.cache), r.complexity.map { .integer(Int64($0)) } ?? .null,
            .integer(r.streamed ? 1 : 0), r.outcome.map { .text($0) } ?? .null,
            .integer(r.budgetUnchecked ? 1 : 0),
        ]
    }

    static func record(from row: SQLiteRow, decoder: JSONDecoder) throws -> TelemetryRecord {
        let statusText = row.text(21)
        guard let status = RequestStatus(rawValue: statusText) else {
            throw StorageError(kind: .invalidData, operation: "read llm_requests",
                               message: "unknown status '\(statusText)'")
        }
        let attempts: [String]
        do {
            attempts = try decoder.decode([String].self, from: Data(row.text(24).utf8))
        } catch {
            throw StorageError(kind: .invalidData, operation: "read llm_requests",
                               message: "attempts is not a JSON array of strings")
        }
        var record = TelemetryRecord(
            time: Date(timeIntervalSince1970: Double(row.int64(0)) / 1000),
            requestID: row.text(1), org: row.text(2), team: row.text(3), user: row.text(4),
            keyID: row.text(5), useCase: row.text(6), strategy: row.text(7), routeReason: row.text(8),
            requestedModel: row.text(9), provider: row.text(10), model: row.text(11),
            baselineModel: row.text(12), inputTokens: row.int(13), cachedInputTokens: row.int(14),
            outputTokens: row.int(15), cost: Money(nanos: row.int64(16)),
            baselineCost: Money(nanos: row.int64(17)), estimated: row.bool(18),
            latencyMs: row.double(19), ttftMs: row.optionalDouble(20), status: status,
            errorKind: row.text(22), httpStatus: row.int(23), attempts: attempts, cache: row.text(25),
            complexity: row.optionalInt(26), streamed: row.bool(27), outcome: row.optionalText(28))
        record.budgetUnchecked = row.bool(29)
        return record
    }

    /// The measures of a rollup row starting at column `first`, in `RollupTable.measures` order.
    static func totals(from row: SQLiteRow, first: Int32) -> SpendTotals {
        SpendTotals(requests: row.int(first), errors: row.int(first + 1), failovers: row.int(first + 2),
                    cacheHits: row.int(first + 3), inputTokens: row.int(first + 4),
                    cachedInputTokens: row.int(first + 5), outputTokens: row.int(first + 6),
                    cost: Money(nanos: row.int64(first + 7)), baselineCost: Money(nanos: row.int64(first + 8)),
                    latencyMsSum: row.double(first + 9),
                    latency: LatencyHistogram(counts: RollupTable.latencyMeasures.indices.map { row.int(first + 10 + Int32($0)) }))
    }

    static func values(of t: SpendTotals) -> [SQLiteValue] {
        [.integer(Int64(t.requests)), .integer(Int64(t.errors)), .integer(Int64(t.failovers)),
         .integer(Int64(t.cacheHits)), .integer(Int64(t.inputTokens)), .integer(Int64(t.cachedInputTokens)),
         .integer(Int64(t.outputTokens)), .integer(t.cost.nanos), .integer(t.baselineCost.nanos),
         .real(t.latencyMsSum)] + t.latency.counts.map { .integer(Int64($0)) }
    }
}
