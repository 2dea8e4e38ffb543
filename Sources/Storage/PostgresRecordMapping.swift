import FinOpsCore
import Foundation

/// How `TelemetryRecord`s travel to and from PostgreSQL. A batch is sent as one array parameter
/// per column (`unnest($1::text[], $2::bigint[], …)`): one prepared statement of 30 bound
/// parameters inserts any number of rows, with no SQL text built from values.
enum PostgresRecordMapping {
    /// `(column, element type)` in the order of the unnest parameters; `time_ms` becomes `time`.
    static let inputColumns: [(String, String)] = [
        ("time_ms", "bigint"), ("request_id", "text"), ("org", "text"), ("team", "text"), ("user_name", "text"),
        ("key_id", "text"), ("use_case", "text"), ("strategy", "text"), ("route_reason", "text"),
        ("requested_model", "text"), ("provider", "text"), ("model", "text"), ("baseline_model", "text"),
        ("input_tokens", "bigint"), ("cached_input_tokens", "bigint"), ("output_tokens", "bigint"),
        ("cost_nanos", "bigint"), ("baseline_cost_nanos", "bigint"), ("estimated", "boolean"),
        ("latency_ms", "double precision"), ("ttft_ms", "double precision"), ("status", "text"),
        ("error_kind", "text"), ("http_status", "integer"), ("attempts", "text"), ("cache", "text"),
        ("complexity", "integer"), ("streamed", "boolean"), ("outcome", "text"), ("budget_unchecked", "boolean"),
    ]

    static let storedColumns = inputColumns.map { $0.0 == "time_ms" ? "time" : $0.0 }

    /// Columns read back by `record(from:)`: time as exact unix milliseconds, attempts as text.
    static let selectList = storedColumns.map { column in
        switch column {
        case "time": "(extract(epoch FROM time) * 1000)::bigint"
        case "attempts": "attempts::text"
        default: column
        }
    }.joined(separator: ", ")

    /// One array literal per column for `records` (already free of duplicate ids).
    static func arrayParameters(_ records: [TelemetryRecord], encoder: JSONEncoder) throws -> [String?] {
        var columns = Array(repeating: PostgresArrayLiteral(), count: inputColumns.count)
        for r in records {
            let attempts = String(decoding: try encoder.encode(r.attempts), as: UTF8.self)
            let values: [String?] = [
                String(SpendRollup.Granularity.epochMillis(r.time)), r.requestID, r.org, r.team, r.user, r.keyID,
                r.useCase, r.strategy, r.routeReason, r.requestedModel, r.provider, r.model, r.baselineModel,
                String(r.inputTokens), String(r.cachedInputTokens), String(r.outputTokens), String(r.cost.nanos),
                String(r.baselineCost.nanos), r.estimated ? "t" : "f", finite(r.latencyMs) ?? "0",
                r.ttftMs.flatMap(finite), r.status.rawValue, r.errorKind, String(r.httpStatus), attempts, r.cache,
                r.complexity.map(String.init), r.streamed ? "t" : "f", r.outcome, r.budgetUnchecked ? "t" : "f",
            ]
            for (index, value) in values.enumerated() { columns[index].append(value) }
        }
        return columns.map { $0.text }
    }

    private static func finite(_ value: Double) -> String? { value.isFinite ? "\(value)" : nil }

    static func record(from row: [String?], decoder: JSONDecoder) throws -> TelemetryRecord {
        func text(_ i: Int) -> String { row[i] ?? "" }
        func int(_ i: Int) -> Int { Int(row[i] ?? "") ?? 0 }
        func int64(_ i: Int) -> Int64 { Int64(row[i] ?? "") ?? 0 }
        func bool(_ i: Int) -> Bool { row[i] == "t" }
        guard let status = RequestStatus(rawValue: text(21)) else {
            throw StorageError(kind: .invalidData, operation: "read llm_requests", message: "unknown status '\(text(21))'")
        }
        guard let attempts = try? decoder.decode([String].self, from: Data(text(24).utf8)) else {
            throw StorageError(kind: .invalidData, operation: "read llm_requests",
                               message: "attempts is not a JSON array of strings")
        }
        var record = TelemetryRecord(
            time: Date(timeIntervalSince1970: Double(int64(0)) / 1000), requestID: text(1), org: text(2),
            team: text(3), user: text(4), keyID: text(5), useCase: text(6), strategy: text(7),
            routeReason: text(8), requestedModel: text(9), provider: text(10), model: text(11),
            baselineModel: text(12), inputTokens: int(13), cachedInputTokens: int(14), outputTokens: int(15),
            cost: Money(nanos: int64(16)), baselineCost: Money(nanos: int64(17)), estimated: bool(18),
            latencyMs: Double(text(19)) ?? 0, ttftMs: row[20].flatMap(Double.init), status: status,
            errorKind: text(22), httpStatus: int(23), attempts: attempts, cache: text(25),
            complexity: row[26].flatMap { Int($0) }, streamed: bool(27), outcome: row[28])
        record.budgetUnchecked = bool(29)
        return record
    }

    /// The measures of a rollup row starting at column `first`, in `RollupTable.measures` order.
    static func totals(from row: [String?], first: Int) -> SpendTotals {
        func int(_ i: Int) -> Int { Int(row[first + i] ?? "") ?? 0 }
        return SpendTotals(requests: int(0), errors: int(1), failovers: int(2), cacheHits: int(3),
                           inputTokens: int(4), cachedInputTokens: int(5), outputTokens: int(6),
                           cost: Money(nanos: Int64(int(7))), baselineCost: Money(nanos: Int64(int(8))),
                           latencyMsSum: Double(row[first + 9] ?? "") ?? 0,
                           latency: LatencyHistogram(counts: RollupTable.latencyMeasures.indices.map { int(10 + $0) }))
    }
}
