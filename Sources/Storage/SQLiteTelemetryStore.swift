import FinOpsCore
import Foundation

/// `TelemetryStore` in one SQLite file (WAL mode), the zero-config default.
public final class SQLiteTelemetryStore: TelemetryStore, @unchecked Sendable {
    // One connection behind `lock` (hence @unchecked Sendable: `db` and `insertStatement` are only
    // touched while holding it). Writer batches are short and dashboard reads are rare, so
    // serialising them is simpler than a second read connection and costs little.
    private let lock = NSLock()
    private let db: SQLiteDatabase
    private let insertStatement: SQLiteStatement

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
        let placeholders = Array(repeating: "?", count: Self.columns.count).joined(separator: ", ")
        insertStatement = try db.prepare(
            "INSERT INTO llm_requests (\(Self.columnList)) VALUES (\(placeholders))")
    }

    public func insert(_ records: [TelemetryRecord]) throws {
        guard !records.isEmpty else { return }
        let encoder = JSONEncoder()
        let rows = try records.map { try Self.values(of: $0, encoder: encoder) }
        try lock.withLock {
            try db.transaction {
                for row in rows { try insertStatement.execute(row) }
            }
        }
    }

    public func recentRequests(limit: Int) throws -> [TelemetryRecord] {
        let decoder = JSONDecoder()
        return try lock.withLock {
            let statement = try db.prepare(
                "SELECT \(Self.columnList) FROM llm_requests ORDER BY time DESC, id DESC LIMIT ?")
            return try statement.query([.integer(Int64(max(0, limit)))]) { try Self.record(from: $0, decoder: decoder) }
        }
    }

    public func count() throws -> Int {
        try lock.withLock {
            try db.prepare("SELECT COUNT(*) FROM llm_requests").query { $0.int(0) }.first ?? 0
        }
    }

    // MARK: Row mapping. `columns`, `values(of:)` and `record(from:)` list fields in the same order.

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
            .integer(Int64((r.time.timeIntervalSince1970 * 1000).rounded())),
            .text(r.requestID), .text(r.org), .text(r.team), .text(r.user), .text(r.keyID),
            .text(r.useCase), .text(r.strategy), .text(r.routeReason), .text(r.requestedModel),
            .text(r.provider), .text(r.model), .text(r.baselineModel),
            .integer(Int64(r.inputTokens)), .integer(Int64(r.cachedInputTokens)), .integer(Int64(r.outputTokens)),
            .integer(r.cost.nanos), .integer(r.baselineCost.nanos), .integer(r.estimated ? 1 : 0),
            .real(r.latencyMs), r.ttftMs.map { .real($0) } ?? .null,
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
}
