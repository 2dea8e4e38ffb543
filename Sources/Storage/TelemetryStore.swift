import FinOpsCore

/// Where `llm_requests` rows go: SQLite by default, PostgreSQL in production.
///
/// Blocking API: call it only from the telemetry writer's thread or a dedicated reader thread,
/// never from Swift's cooperative pool.
public protocol TelemetryStore: AnyObject, Sendable {
    /// Inserts all records in one transaction: either every row is stored or none is.
    func insert(_ records: [TelemetryRecord]) throws
    /// The newest `limit` records, newest first.
    func recentRequests(limit: Int) throws -> [TelemetryRecord]
    /// Number of stored records.
    func count() throws -> Int
}
