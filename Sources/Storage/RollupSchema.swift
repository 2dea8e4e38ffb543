import FinOpsCore

/// The rollup tables and their columns, shared by both dialects, so the SQL that creates,
/// upserts and reads them comes from one list and cannot drift between SQLite and PostgreSQL.
enum RollupTable: CaseIterable {
    case hourly, daily, outcomeHourly

    var name: String {
        switch self {
        case .hourly: "spend_rollup_hourly"
        case .daily: "spend_rollup_daily"
        case .outcomeHourly: "spend_rollup_outcome_hourly"
        }
    }

    var granularity: SpendRollup.Granularity { self == .daily ? .day : .hour }

    /// Key columns, in primary-key order; `bucket` is the UTC start of the hour or day.
    var keys: [String] {
        switch self {
        case .hourly, .daily: ["bucket", "org", "team", "user_name", "provider", "model", "use_case", "strategy"]
        case .outcomeHourly: ["bucket", "org", "team", "use_case", "outcome"]
        }
    }

    /// Measure columns, in `SpendTotals` order.
    static let measures = [
        "requests", "errors", "failovers", "cache_hits", "input_tokens", "cached_input_tokens",
        "output_tokens", "cost_nanos", "baseline_cost_nanos", "latency_ms_sum",
    ]

    var columns: [String] { keys + Self.measures }

    /// `requests = <existing>requests + <excluded>.requests, ...`: the upsert's accumulation.
    /// `existing` names the target row (`""` in SQLite, a table alias plus `.` in PostgreSQL).
    static func accumulate(existing: String, excluded: String) -> String {
        measures.map { "\($0) = \(existing)\($0) + \(excluded).\($0)" }.joined(separator: ", ")
    }

    /// Aggregates over raw `llm_requests` columns yielding `measures`, in order.
    static let aggregatesOverRaw = """
        COUNT(*), SUM(CASE WHEN status = 'error' THEN 1 ELSE 0 END),
        SUM(CASE WHEN status = 'failover' THEN 1 ELSE 0 END),
        SUM(CASE WHEN status = 'cache_hit' THEN 1 ELSE 0 END),
        SUM(input_tokens), SUM(cached_input_tokens), SUM(output_tokens), SUM(cost_nanos),
        SUM(baseline_cost_nanos), SUM(latency_ms)
        """
}
