import FinOpsCore
import Foundation

/// Reads for `PostgresTelemetryStore`, on its read connection; every value is a bound parameter.
extension PostgresTelemetryStore {
    public func recentRequests(limit: Int) throws -> [TelemetryRecord] {
        let decoder = JSONDecoder()
        let rows = try readSession.withConnection { conn in
            try conn.query("""
                SELECT \(PostgresRecordMapping.selectList) FROM llm_requests
                ORDER BY time DESC, request_id DESC LIMIT $1
                """, [String(max(0, limit))]).rows
        }
        return try rows.map { try PostgresRecordMapping.record(from: $0, decoder: decoder) }
    }

    public func count() throws -> Int {
        try readSession.withConnection { conn in
            Int(try conn.query("SELECT count(*) FROM llm_requests", []).scalar()) ?? 0
        }
    }

    public func spendRollups(_ granularity: SpendRollup.Granularity, from: Date, to: Date,
                             team: String?) throws -> [SpendRollup] {
        try rangeQuery(granularity == .day ? .daily : .hourly, from: from, to: to, team: team).map { row in
            SpendRollup(
                key: .init(bucket: Self.date(row[0]), org: row[1] ?? "", team: row[2] ?? "", user: row[3] ?? "",
                           provider: row[4] ?? "", model: row[5] ?? "", useCase: row[6] ?? "",
                           strategy: row[7] ?? ""),
                totals: PostgresRecordMapping.totals(from: row, first: 8))
        }
    }

    public func spendSummaries(_ granularity: SpendRollup.Granularity, from: Date, to: Date, team: String?,
                               keep: Set<RollupDimension>, measures: RollupMeasures) throws -> [SpendRollup] {
        let table: RollupTable = granularity == .day ? .daily : .hourly
        let select = RollupDimension.keySelect(keep, table: table, bucket: "(extract(epoch FROM bucket) * 1000)::bigint")
            + measures.select
        let rows = try readSession.withConnection { conn in
            try conn.query("""
                SELECT \(select.joined(separator: ", ")) FROM \(table.name)
                WHERE bucket >= timestamptz 'epoch' + $1::bigint * interval '1 millisecond'
                  AND bucket < timestamptz 'epoch' + $2::bigint * interval '1 millisecond'
                  AND ($3::text IS NULL OR team = $3)
                GROUP BY \(RollupDimension.groupBy(keep, table: table))
                """, [Self.millis(from), Self.millis(to), team]).rows
        }
        return rows.map { row in
            SpendRollup(
                key: .init(bucket: Self.date(row[0]), org: row[1] ?? "", team: row[2] ?? "", user: row[3] ?? "",
                           provider: row[4] ?? "", model: row[5] ?? "", useCase: row[6] ?? "", strategy: row[7] ?? ""),
                totals: PostgresRecordMapping.totals(from: row, first: 8))
        }
    }

    public func outcomeSummaries(from: Date, to: Date, team: String?) throws -> [OutcomeRollup] {
        let rows = try readSession.withConnection { conn in
            try conn.query("""
                SELECT org, team, use_case, outcome, \(RollupMeasures.money.select.joined(separator: ", "))
                FROM \(RollupTable.outcomeHourly.name)
                WHERE bucket >= timestamptz 'epoch' + $1::bigint * interval '1 millisecond'
                  AND bucket < timestamptz 'epoch' + $2::bigint * interval '1 millisecond'
                  AND ($3::text IS NULL OR team = $3)
                GROUP BY 1, 2, 3, 4
                """, [Self.millis(from), Self.millis(to), team]).rows
        }
        return rows.map { row in
            OutcomeRollup(key: .init(bucket: from, org: row[0] ?? "", team: row[1] ?? "", useCase: row[2] ?? "", outcome: row[3] ?? ""),
                          totals: PostgresRecordMapping.totals(from: row, first: 4))
        }
    }

    public func outcomeRollups(from: Date, to: Date, team: String?) throws -> [OutcomeRollup] {
        try rangeQuery(.outcomeHourly, from: from, to: to, team: team).map { row in
            OutcomeRollup(
                key: .init(bucket: Self.date(row[0]), org: row[1] ?? "", team: row[2] ?? "",
                           useCase: row[3] ?? "", outcome: row[4] ?? ""),
                totals: PostgresRecordMapping.totals(from: row, first: 5))
        }
    }

    public func pruneRequests(before cutoff: Date) throws -> [String] {
        try writeSession.withConnection { conn in
            try conn.query("SELECT finops_drop_request_partitions(timestamptz 'epoch' + $1::bigint * interval '1 millisecond')",
                           [Self.millis(cutoff)])
                .rows.map { "dropped partition \($0.first.flatMap { $0 } ?? "?")" }
        }
    }

    private func rangeQuery(_ table: RollupTable, from: Date, to: Date, team: String?) throws -> [[String?]] {
        let columns = ["(extract(epoch FROM bucket) * 1000)::bigint"] + table.columns.dropFirst()
        return try readSession.withConnection { conn in
            try conn.query("""
                SELECT \(columns.joined(separator: ", ")) FROM \(table.name)
                WHERE bucket >= timestamptz 'epoch' + $1::bigint * interval '1 millisecond'
                  AND bucket < timestamptz 'epoch' + $2::bigint * interval '1 millisecond'
                  AND ($3::text IS NULL OR team = $3)
                ORDER BY \(table.keys.joined(separator: ", "))
                """, [Self.millis(from), Self.millis(to), team]).rows
        }
    }

    private static func date(_ epochMillis: String?) -> Date {
        Date(timeIntervalSince1970: Double(Int64(epochMillis ?? "") ?? 0) / 1_000)
    }

    /// A timestamptz parameter travels as exact unix milliseconds; SQL turns it back with
    /// `timestamptz 'epoch' + $n::bigint * interval '1 millisecond'`.
    static func millis(_ date: Date) -> String { String(SpendRollup.Granularity.epochMillis(date)) }
}
