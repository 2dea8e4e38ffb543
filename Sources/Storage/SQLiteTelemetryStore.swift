import FinOpsCore
import Foundation

/// `TelemetryStore` in one SQLite file (WAL mode), the zero-config default.
public final class SQLiteTelemetryStore: TelemetryStore, @unchecked Sendable {
    // One connection behind `lock` (hence @unchecked Sendable: `db` and the statements are only
    // touched while holding it). Writer batches are short and dashboard reads are rare, so
    // serialising them is simpler than a second read connection and costs little.
    let lock = NSLock()
    let db: SQLiteDatabase
    private let insertStatement: SQLiteStatement
    private let upserts: [RollupTable: SQLiteStatement]

    /// Opens or creates the database at `path` (creating its parent directory) and migrates it.
    public init(path: String) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw StorageError(kind: .io, operation: "create directory",
                               message: "cannot create \(directory.path): \(error.localizedDescription)")
        }
        db = try SQLiteDatabase(path: path)
        try SQLiteMigrations.apply(to: db)
        let placeholders = Array(repeating: "?", count: SQLiteRecordMapping.columns.count).joined(separator: ", ")
        insertStatement = try db.prepare("""
            INSERT INTO llm_requests (\(SQLiteRecordMapping.columnList)) VALUES (\(placeholders))
            ON CONFLICT (request_id) DO NOTHING
            """)
        var upserts: [RollupTable: SQLiteStatement] = [:]
        for table in RollupTable.allCases {
            let marks = Array(repeating: "?", count: table.columns.count).joined(separator: ", ")
            upserts[table] = try db.prepare("""
                INSERT INTO \(table.name) (\(table.columns.joined(separator: ", "))) VALUES (\(marks))
                ON CONFLICT (\(table.keys.joined(separator: ", "))) DO UPDATE SET
                \(RollupTable.accumulate(existing: "", excluded: "excluded"))
                """)
        }
        self.upserts = upserts
    }

    @discardableResult
    public func insert(_ records: [TelemetryRecord]) throws -> Int {
        guard !records.isEmpty else { return 0 }
        let encoder = JSONEncoder()
        let rows = try records.map { try SQLiteRecordMapping.values(of: $0, encoder: encoder) }
        return try lock.withLock {
            try db.transaction {
                // Rollups grow only by the rows this call really inserted: a replayed
                // duplicate is skipped by ON CONFLICT and must not be counted twice.
                var inserted: [TelemetryRecord] = []
                for (record, row) in zip(records, rows) {
                    try insertStatement.execute(row)
                    if db.changes == 1 { inserted.append(record) }
                }
                try upsertRollups(for: inserted)
                return inserted.count
            }
        }
    }

    private func upsertRollups(for records: [TelemetryRecord]) throws {
        for granularity in [RollupTable.hourly, .daily] {
            for (key, totals) in SpendRollup.aggregate(records, granularity.granularity) {
                let keyValues: [SQLiteValue] = [
                    .integer(Int64(key.bucket.timeIntervalSince1970)), .text(key.org), .text(key.team),
                    .text(key.user), .text(key.provider), .text(key.model), .text(key.useCase), .text(key.strategy),
                ]
                try upserts[granularity]!.execute(keyValues + SQLiteRecordMapping.values(of: totals))
            }
        }
        for (key, totals) in OutcomeRollup.aggregate(records) {
            let keyValues: [SQLiteValue] = [
                .integer(Int64(key.bucket.timeIntervalSince1970)), .text(key.org), .text(key.team),
                .text(key.useCase), .text(key.outcome),
            ]
            try upserts[.outcomeHourly]!.execute(keyValues + SQLiteRecordMapping.values(of: totals))
        }
    }

    public func recentRequests(limit: Int) throws -> [TelemetryRecord] {
        let decoder = JSONDecoder()
        return try lock.withLock {
            let statement = try db.prepare(
                "SELECT \(SQLiteRecordMapping.columnList) FROM llm_requests ORDER BY time DESC, id DESC LIMIT ?")
            return try statement.query([.integer(Int64(max(0, min(limit, Int(Int64.max)))))]) {
                try SQLiteRecordMapping.record(from: $0, decoder: decoder)
            }
        }
    }

    public func count() throws -> Int {
        try lock.withLock {
            try db.prepare("SELECT COUNT(*) FROM llm_requests").query { $0.int(0) }.first ?? 0
        }
    }

    public func pruneRequests(before cutoff: Date) throws -> [String] {
        try lock.withLock {
            try db.transaction {
                try db.prepare("DELETE FROM llm_requests WHERE time < ?")
                    .execute([.integer(SpendRollup.Granularity.epochMillis(cutoff))])
                return ["deleted \(db.changes) llm_requests rows older than \(ISO8601DateFormatter().string(from: cutoff))"]
            }
        }
    }
}
