import FinOpsCore
import Foundation

/// Rollup reads for `SQLiteTelemetryStore`: buckets are unix seconds, bound as parameters.
extension SQLiteTelemetryStore {
    public func spendRollups(_ granularity: SpendRollup.Granularity, from: Date, to: Date,
                             team: String?) throws -> [SpendRollup] {
        let table: RollupTable = granularity == .day ? .daily : .hourly
        return try lock.withLock {
            let statement = try db.prepare(Self.rangeQuery(table))
            return try statement.query(Self.rangeParameters(from: from, to: to, team: team)) { row in
                SpendRollup(
                    key: .init(bucket: Date(timeIntervalSince1970: Double(row.int64(0))), org: row.text(1),
                               team: row.text(2), user: row.text(3), provider: row.text(4), model: row.text(5),
                               useCase: row.text(6), strategy: row.text(7)),
                    totals: SQLiteRecordMapping.totals(from: row, first: 8))
            }
        }
    }

    public func spendSummaries(_ granularity: SpendRollup.Granularity, from: Date, to: Date, team: String?,
                               keep: Set<RollupDimension>, measures: RollupMeasures) throws -> [SpendRollup] {
        let table: RollupTable = granularity == .day ? .daily : .hourly
        let sql = """
            SELECT \((RollupDimension.keySelect(keep, table: table, bucket: "bucket") + measures.select).joined(separator: ", "))
            FROM \(table.name) WHERE bucket >= ?1 AND bucket < ?2 AND (?3 IS NULL OR team = ?3)
            GROUP BY \(RollupDimension.groupBy(keep, table: table))
            """
        return try lock.withLock {
            try db.prepare(sql).query(Self.rangeParameters(from: from, to: to, team: team)) { row in
                SpendRollup(
                    key: .init(bucket: Date(timeIntervalSince1970: Double(row.int64(0))), org: row.text(1),
                               team: row.text(2), user: row.text(3), provider: row.text(4), model: row.text(5),
                               useCase: row.text(6), strategy: row.text(7)),
                    totals: SQLiteRecordMapping.totals(from: row, first: 8))
            }
        }
    }

    public func outcomeSummaries(from: Date, to: Date, team: String?) throws -> [OutcomeRollup] {
        let table = RollupTable.outcomeHourly
        let sql = """
            SELECT org, team, use_case, outcome, \(RollupMeasures.money.select.joined(separator: ", ")) FROM \(table.name)
            WHERE bucket >= ?1 AND bucket < ?2 AND (?3 IS NULL OR team = ?3) GROUP BY 1, 2, 3, 4
            """
        return try lock.withLock {
            try db.prepare(sql).query(Self.rangeParameters(from: from, to: to, team: team)) { row in
                OutcomeRollup(key: .init(bucket: from, org: row.text(0), team: row.text(1), useCase: row.text(2), outcome: row.text(3)),
                              totals: SQLiteRecordMapping.totals(from: row, first: 4))
            }
        }
    }

    public func outcomeRollups(from: Date, to: Date, team: String?) throws -> [OutcomeRollup] {
        try lock.withLock {
            let statement = try db.prepare(Self.rangeQuery(.outcomeHourly))
            return try statement.query(Self.rangeParameters(from: from, to: to, team: team)) { row in
                OutcomeRollup(
                    key: .init(bucket: Date(timeIntervalSince1970: Double(row.int64(0))), org: row.text(1),
                               team: row.text(2), useCase: row.text(3), outcome: row.text(4)),
                    totals: SQLiteRecordMapping.totals(from: row, first: 5))
            }
        }
    }

    private static func rangeQuery(_ table: RollupTable) -> String {
        """
        SELECT \(table.columns.joined(separator: ", ")) FROM \(table.name)
        WHERE bucket >= ?1 AND bucket < ?2 AND (?3 IS NULL OR team = ?3)
        ORDER BY \(table.keys.joined(separator: ", "))
        """
    }

    /// Bucket starts are whole seconds: round the bounds up so `[from, to)` means the same
    /// thing as it does for a `Date` comparison.
    private static func rangeParameters(from: Date, to: Date, team: String?) -> [SQLiteValue] {
        [.integer(Int64(from.timeIntervalSince1970.rounded(.up))), .integer(Int64(to.timeIntervalSince1970.rounded(.up))),
         team.map { .text($0) } ?? .null]
    }
}
