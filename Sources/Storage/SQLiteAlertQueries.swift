import FinOpsCore
import Foundation

/// `AlertStore` on the SQLite telemetry database: times are unix milliseconds.
extension SQLiteTelemetryStore: AlertStore {
    @discardableResult
    public func insertAlert(_ a: AlertRecord) throws -> Int64 {
        let marks = Array(repeating: "?", count: AlertColumns.names.count).joined(separator: ", ")
        return try lock.withLock {
            try db.prepare("INSERT INTO alerts (\(AlertColumns.names.joined(separator: ", "))) VALUES (\(marks))")
                .execute(Self.values(of: a))
            return try db.prepare("SELECT last_insert_rowid()").query { $0.int64(0) }.first ?? 0
        }
    }

    public func alerts(from: Date, to: Date, team: String?, limit: Int) throws -> [AlertRecord] {
        try lock.withLock {
            try db.prepare("""
                SELECT id, \(AlertColumns.names.joined(separator: ", ")) FROM alerts
                WHERE time >= ?1 AND time < ?2 AND (?3 IS NULL OR team = ?3)
                ORDER BY time DESC, id DESC LIMIT ?4
                """).query([.integer(SpendRollup.Granularity.epochMillis(from)), .integer(SpendRollup.Granularity.epochMillis(to)),
                           team.map { .text($0) } ?? .null, .integer(Int64(max(0, limit)))]) { try Self.alert(from: $0) }
        }
    }

    static func values(of a: AlertRecord) -> [SQLiteValue] {
        func ms(_ d: Date?) -> SQLiteValue { d.map { .integer(SpendRollup.Granularity.epochMillis($0)) } ?? .null }
        return [ms(a.time), .text(a.fingerprint), .text(a.kind), .text(a.severity.rawValue), .text(a.state.rawValue),
                .text(a.org), .text(a.team), .text(a.title), .text(a.message),
                a.value.flatMap { $0.isFinite ? .real($0) : nil } ?? .null,
                a.threshold.flatMap { $0.isFinite ? .real($0) : nil } ?? .null,
                .text(AlertColumns.labelsJSON(a.labels)), .text(a.deliveryState.rawValue),
                .integer(Int64(a.deliveryAttempts)), ms(a.deliveredAt), ms(a.resolvedAt)]
    }

    /// A row of `SELECT id, <AlertColumns.names>`, those columns starting at `offset`.
    static func alert(from row: SQLiteRow, offset o: Int32 = 0) throws -> AlertRecord {
        func date(_ c: Int32) -> Date? { row.isNull(o + c) ? nil : Date(timeIntervalSince1970: Double(row.int64(o + c)) / 1_000) }
        return AlertRecord(
            id: row.int64(o), time: date(1) ?? Date(timeIntervalSince1970: 0), fingerprint: row.text(o + 2), kind: row.text(o + 3),
            severity: try AlertColumns.enumValue(row.text(o + 4), "severity"), state: try AlertColumns.enumValue(row.text(o + 5), "state"),
            org: row.text(o + 6), team: row.text(o + 7), title: row.text(o + 8), message: row.text(o + 9),
            value: row.optionalDouble(o + 10), threshold: row.optionalDouble(o + 11), labels: try AlertColumns.labels(row.text(o + 12)),
            deliveryState: try AlertColumns.enumValue(row.text(o + 13), "delivery_state"), deliveryAttempts: row.int(o + 14),
            deliveredAt: date(15), resolvedAt: date(16))
    }
}
