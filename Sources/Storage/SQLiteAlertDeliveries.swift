import FinOpsCore
import Foundation

/// `alert_deliveries` on SQLite: queued with their alert, claimed under a lease, completed
/// attempt by attempt. Times are unix milliseconds.
extension SQLiteTelemetryStore {
    /// Inside a transaction holding `lock`. A repeat of the same (alert, destination, action)
    /// is ignored, so queueing twice never sends twice.
    func insertDeliveries(_ deliveries: [AlertDelivery], alertID: Int64) throws {
        guard !deliveries.isEmpty else { return }
        let marks = Array(repeating: "?", count: AlertDeliveryColumns.names.count).joined(separator: ", ")
        let insert = try db.prepare("""
            INSERT INTO alert_deliveries (\(AlertDeliveryColumns.names.joined(separator: ", "))) VALUES (\(marks))
            ON CONFLICT (alert_id, destination, action) DO NOTHING
            """)
        for var d in deliveries {
            d.alertID = alertID
            try insert.execute(Self.values(of: d))
        }
    }

    public func deliveries(alertID: Int64) throws -> [AlertDelivery] {
        try lock.withLock {
            try db.prepare("SELECT id, \(AlertDeliveryColumns.names.joined(separator: ", ")) FROM alert_deliveries WHERE alert_id = ?1 ORDER BY id")
                .query([.integer(alertID)]) { try Self.delivery(from: $0, at: 0) }
        }
    }

    public func claimDueDeliveries(now: Date, leaseUntil: Date, limit: Int) throws -> [ClaimedDelivery] {
        let ms = SpendRollup.Granularity.epochMillis
        return try lock.withLock {
            try db.transaction { () throws -> [ClaimedDelivery] in
                let ids = try db.prepare("""
                    SELECT d.id FROM alert_deliveries d
                    WHERE d.state = 'pending' AND d.next_attempt_at <= ?1
                      AND NOT EXISTS (SELECT 1 FROM alert_deliveries e WHERE e.alert_id = d.alert_id
                                      AND e.destination = d.destination AND e.id < d.id AND e.state = 'pending')
                    ORDER BY d.id LIMIT ?2
                    """).query([.integer(ms(now)), .integer(Int64(max(0, limit)))]) { $0.int64(0) }
                guard !ids.isEmpty else { return [] }
                let lease = try db.prepare("UPDATE alert_deliveries SET next_attempt_at = ?1 WHERE id = ?2")
                let read = try db.prepare("""
                    SELECT d.id, \(AlertDeliveryColumns.names.map { "d.\($0)" }.joined(separator: ", ")),
                           a.id, \(AlertColumns.names.map { "a.\($0)" }.joined(separator: ", "))
                    FROM alert_deliveries d JOIN alerts a ON a.id = d.alert_id WHERE d.id = ?1
                    """)
                var claimed: [ClaimedDelivery] = []
                for id in ids {
                    try lease.execute([.integer(ms(leaseUntil)), .integer(id)])
                    claimed += try read.query([.integer(id)]) { row in
                        ClaimedDelivery(delivery: try Self.delivery(from: row, at: 0),
                                        alert: try Self.alert(from: row, offset: Int32(AlertDeliveryColumns.names.count + 1)))
                    }
                }
                return claimed
            }
        }
    }

    @discardableResult
    public func completeDelivery(id: Int64, outcome: AlertDeliveryOutcome, at: Date) throws -> Bool {
        let ms = SpendRollup.Granularity.epochMillis
        let (state, next, error) = AlertDeliveryColumns.outcomeFields(outcome)
        return try lock.withLock {
            try db.transaction { () throws -> Bool in
                try db.prepare("""
                    UPDATE alert_deliveries SET state = ?1, attempts = attempts + 1, next_attempt_at = COALESCE(?2, next_attempt_at),
                        last_error = ?3, delivered_at = CASE WHEN ?1 = 'delivered' THEN ?4 ELSE delivered_at END
                    WHERE id = ?5 AND state = 'pending'
                    """).execute([.text(state.rawValue), next.map { .integer(ms($0)) } ?? .null, error.map { .text($0) } ?? .null,
                                  .integer(ms(at)), .integer(id)])
                guard db.changes == 1 else { return false }
                try db.prepare(AlertDeliveryColumns.refreshAlertSQL + " WHERE id = (SELECT alert_id FROM alert_deliveries WHERE id = ?1)")
                    .execute([.integer(id)])
                return true
            }
        }
    }

    static func values(of d: AlertDelivery) -> [SQLiteValue] {
        let ms = SpendRollup.Granularity.epochMillis
        return [.integer(d.alertID), .text(d.destination), .text(d.kind.rawValue), .text(d.action.rawValue), .text(d.groupKey),
                .text(d.state.rawValue), .integer(Int64(d.attempts)), .integer(ms(d.nextAttemptAt)),
                d.lastError.map { .text($0) } ?? .null, .integer(ms(d.createdAt)), d.deliveredAt.map { .integer(ms($0)) } ?? .null]
    }

    /// `id, <AlertDeliveryColumns.names>` starting at column `c`.
    static func delivery(from row: SQLiteRow, at c: Int32) throws -> AlertDelivery {
        func date(_ i: Int32) -> Date { Date(timeIntervalSince1970: Double(row.int64(c + i)) / 1_000) }
        return AlertDelivery(
            id: row.int64(c), alertID: row.int64(c + 1), destination: row.text(c + 2),
            kind: try AlertColumns.enumValue(row.text(c + 3), "destination_kind"),
            action: try AlertColumns.enumValue(row.text(c + 4), "action"), groupKey: row.text(c + 5),
            state: try AlertColumns.enumValue(row.text(c + 6), "state"), attempts: row.int(c + 7),
            nextAttemptAt: date(8), lastError: row.optionalText(c + 9), createdAt: date(10),
            deliveredAt: row.isNull(c + 11) ? nil : date(11))
    }
}
