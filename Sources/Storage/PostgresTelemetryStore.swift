import FinOpsCore
import Foundation
import Synchronization

/// `TelemetryStore` in PostgreSQL through libpq, for production and several replicas.
///
/// Blocking, like every store: the telemetry writer's own thread does the inserts and reads run
/// on `BlockingExecutor`/reader queues, never on Swift's cooperative pool. Writes and reads use
/// separate connections, so a slow dashboard query never holds up a batch. Nothing connects in
/// `init`: a gateway starts while the database is down, and its rows spill until it is back.
public final class PostgresTelemetryStore: TelemetryStore, Sendable {
    /// The URL with the password masked, for logs.
    public let redactedURL: String
    let writeSession: PostgresSession
    let readSession: PostgresSession
    private let migrated = OnceFlag()
    /// Month partitions known to exist (UTC year * 12 + month), so most batches skip the check.
    private let knownMonths = Mutex(Set<Int>())

    /// - Parameters:
    ///   - statementTimeout: a write slower than this fails (and the writer spills) instead of
    ///     stalling the pipeline; reads get four times as long.
    ///   - autoMigrate: apply pending migrations on the first connection.
    public init(url: String, statementTimeout: Duration = .seconds(10), autoMigrate: Bool = true) {
        redactedURL = PostgresConnection.redacted(url)
        let writeTimeoutMs = String(statementTimeout.wholeMilliseconds)
        let readTimeoutMs = String(statementTimeout.wholeMilliseconds * 4)
        let migrated = self.migrated
        let migrate: @Sendable (PostgresConnection) throws -> Void = { conn in
            guard autoMigrate, !migrated.isSet else { return }
            try PostgresMigrations.apply(to: conn)
            migrated.set()
        }
        writeSession = PostgresSession(url: url) { conn in
            try migrate(conn)
            _ = try conn.query("SELECT set_config('statement_timeout', $1, false)", [writeTimeoutMs])
        }
        readSession = PostgresSession(url: url) { conn in
            try migrate(conn)
            _ = try conn.query("SELECT set_config('statement_timeout', $1, false)", [readTimeoutMs])
        }
    }

    static let insertStatementName = "finops_insert_batch"

    /// Connects now (both sessions) and migrates: for commands that should fail fast.
    public func checkConnection() throws {
        try writeSession.withConnection { _ in }
        try readSession.withConnection { _ in }
    }

    /// Applies pending migrations now; returns the versions applied.
    public func migrate() throws -> [Int] {
        try writeSession.withConnection { try PostgresMigrations.apply(to: $0) }
    }

    public func close() {
        writeSession.close()
        readSession.close()
    }

    @discardableResult
    public func insert(_ records: [TelemetryRecord]) throws -> Int {
        var seen = Set<String>()
        let unique = records.filter { seen.insert($0.requestID).inserted }  // first copy wins
        guard !unique.isEmpty else { return 0 }
        let parameters = try PostgresRecordMapping.arrayParameters(unique, encoder: JSONEncoder())
        let months = Set(unique.map { Self.monthIndex($0.time) })
        return try writeSession.withConnection { conn in
            try conn.prepareIfNeeded(Self.insertStatementName, PostgresInsertSQL.batch)
            do {
                try ensurePartitions(months, conn)
                return Int(try conn.queryPrepared(Self.insertStatementName, parameters).scalar()) ?? 0
            } catch let error as StorageError where error.sqlState == "23514" && conn.isConnected {
                // No partition for a row: one was dropped (retention) after we cached it. Recheck once.
                knownMonths.withLock { $0.removeAll() }
                try ensurePartitions(months, conn)
                return Int(try conn.queryPrepared(Self.insertStatementName, parameters).scalar()) ?? 0
            }
        }
    }

    private func ensurePartitions(_ months: Set<Int>, _ conn: PostgresConnection) throws {
        let missing = months.subtracting(knownMonths.withLock { $0 })
        for month in missing.sorted() {
            let start = String(format: "%04d-%02d-01T00:00:00Z", month / 12, month % 12 + 1)
            _ = try conn.query("SELECT finops_ensure_request_partition($1::timestamptz)", [start])
            knownMonths.withLock { _ = $0.insert(month) }
        }
    }

    /// Also creates the partitions of the current and next `monthsAhead` months (maintenance).
    public func ensurePartitions(around date: Date = Date(), monthsAhead: Int = 2) throws {
        let first = Self.monthIndex(date)
        try writeSession.withConnection { try ensurePartitions(Set(first...(first + monthsAhead)), $0) }
    }

    static func monthIndex(_ date: Date) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month], from: date)
        return parts.year! * 12 + parts.month! - 1
    }
}
