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

    /// Measure columns, in `SpendTotals` order: the first schema's, then the latency buckets
    /// added later (migrations create each group once; never edit a group in place).
    static let measures = baseMeasures + latencyMeasures

    /// The measures the rollup tables were created with.
    static let baseMeasures = [
        "requests", "errors", "failovers", "cache_hits", "input_tokens", "cached_input_tokens",
        "output_tokens", "cost_nanos", "baseline_cost_nanos", "latency_ms_sum",
    ]

    /// `LatencyHistogram` bucket counts.
    static let latencyMeasures = LatencyHistogram.columnNames

    var columns: [String] { keys + Self.measures }

    /// `requests = <existing>requests + <excluded>.requests, ...`: the upsert's accumulation.
    /// `existing` names the target row (`""` in SQLite, a table alias plus `.` in PostgreSQL).
    static func accumulate(existing: String, excluded: String) -> String {
        measures.map { "\($0) = \(existing)\($0) + \(excluded).\($0)" }.joined(separator: ", ")
    }

    /// Aggregates over raw `llm_requests` columns yielding `measures`, in order.
    static let aggregatesOverRaw = baseAggregatesOverRaw + ",\n" + latencyAggregatesOverRaw

    /// Aggregates yielding `baseMeasures`.
    static let baseAggregatesOverRaw = """
        COUNT(*), SUM(CASE WHEN status = 'error' THEN 1 ELSE 0 END),
        SUM(CASE WHEN status = 'failover' THEN 1 ELSE 0 END),
        SUM(CASE WHEN status = 'cache_hit' THEN 1 ELSE 0 END),
        SUM(input_tokens), SUM(cached_input_tokens), SUM(output_tokens), SUM(cost_nanos),
        SUM(baseline_cost_nanos), SUM(latency_ms)
        """

    /// Aggregates yielding `latencyMeasures`: the same upper-inclusive buckets as
    /// `LatencyHistogram.bucket(ms:)` (stored latencies are finite and, in practice, >= 0).
    static let latencyAggregatesOverRaw = latencyAggregates(aliased: false)

    /// One `SUM(CASE …)` per latency bucket, optionally `AS <column>`.
    static func latencyAggregates(aliased: Bool) -> String {
        let bounds = LatencyHistogram.boundsMs
        return latencyMeasures.enumerated().map { i, column in
            let condition = i == bounds.count ? "latency_ms > \(bounds[i - 1])"
                : i == 0 ? "latency_ms <= \(bounds[0])"
                : "latency_ms > \(bounds[i - 1]) AND latency_ms <= \(bounds[i])"
            return "SUM(CASE WHEN \(condition) THEN 1 ELSE 0 END)" + (aliased ? " AS \(column)" : "")
        }.joined(separator: ", ")
    }

    /// The SQL that adds the latency bucket columns to this existing rollup table and fills them
    /// from the raw rows still stored (rollup rows whose raw rows were pruned keep zero counts,
    /// which readers see as "histogram unknown": bucket total < requests).
    /// `integer` is the dialect's column type, `bucketOfRaw` its expression for a raw row's bucket.
    func addLatencyColumns(integer: String, bucketOfRaw: String) -> String {
        let add = Self.latencyMeasures.map { "ALTER TABLE \(name) ADD COLUMN \($0) \(integer) NOT NULL DEFAULT 0;" }
        let groupBy = (1...keys.count).map(String.init).joined(separator: ", ")
        let sets = Self.latencyMeasures.map { "\($0) = agg.\($0)" }.joined(separator: ", ")
        let match = keys.map { "\(name).\($0) = agg.\($0)" }.joined(separator: " AND ")
        return add.joined(separator: "\n") + """

            UPDATE \(name) SET \(sets)
            FROM (SELECT \(bucketOfRaw) AS bucket, \(keys.dropFirst().joined(separator: ", ")), \(Self.latencyAggregates(aliased: true))
                  FROM llm_requests \(self == .outcomeHourly ? "WHERE outcome IS NOT NULL" : "")
                  GROUP BY \(groupBy)) AS agg
            WHERE \(match);
            """
    }
}
