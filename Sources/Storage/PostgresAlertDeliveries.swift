import FinOpsCore
import Foundation

/// `alert_deliveries` on PostgreSQL. A claim is one statement: it locks due rows with
/// `FOR UPDATE SKIP LOCKED` (a replica claiming at the same moment takes others, never the
/// same ones), moves them to the end of the lease and returns them with their alerts.
extension PostgresTelemetryStore {
    static let deliverySelectList = AlertDeliveryColumns.names.map { column in
        ["next_attempt_at", "created_at", "delivered_at"].contains(column) ? PostgresTime.millis("d.\(column)") : "d.\(column)"
    }.joined(separator: ", ")

    /// Inside a transaction on `conn`; a repeat of (alert, destination, action) is ignored.
    func insertDeliveries(_ deliveries: [AlertDelivery], alertID: Int64, _ conn: PostgresConnection) throws {
        for var d in deliveries {
            d.alertID = alertID
            _ = try conn.query("""
                INSERT INTO alert_deliveries (\(AlertDeliveryColumns.names.joined(separator: ", ")))
                VALUES ($1::bigint, $2, $3, $4, $5, $6, $7::integer, \(PostgresTime.param(8)), $9, \(PostgresTime.param(10)),
                        CASE WHEN $11::bigint IS NULL THEN NULL ELSE \(PostgresTime.param(11)) END)
                ON CONFLICT (alert_id, destination, action) DO NOTHING
                """, Self.parameters(of: d))
        }
    }

    public func deliveries(alertID: Int64) throws -> [AlertDelivery] {
        let rows = try readSession.withConnection { conn in
            try conn.query("SELECT d.id, \(Self.deliverySelectList) FROM alert_deliveries d WHERE d.alert_id = $1::bigint ORDER BY d.id",
                           [String(alertID)]).rows
        }
        return try rows.map { try Self.delivery(from: $0) }
    }

    public func claimDueDeliveries(now: Date, leaseUntil: Date, limit: Int) throws -> [ClaimedDelivery] {
        let rows = try writeSession.withConnection { conn in
            try conn.query("""
                WITH due AS (
                    SELECT d.id FROM alert_deliveries d
                    WHERE d.state = 'pending' AND d.next_attempt_at <= \(PostgresTime.param(1))
                      AND NOT EXISTS (SELECT 1 FROM alert_deliveries e WHERE e.alert_id = d.alert_id
                                      AND e.destination = d.destination AND e.id < d.id AND e.state = 'pending')
                    ORDER BY d.id LIMIT $2 FOR UPDATE SKIP LOCKED
                )
                UPDATE alert_deliveries d SET next_attempt_at = \(PostgresTime.param(3))
                FROM due, alerts a WHERE d.id = due.id AND a.id = d.alert_id
                RETURNING d.id, \(Self.deliverySelectList), a.id, \(Self.alertSelectList(qualifier: "a."))
                """, [Self.millis(now), String(max(0, limit)), Self.millis(leaseUntil)]).rows
        }
        let split = AlertDeliveryColumns.names.count + 1
        return try rows.map { row in
            ClaimedDelivery(delivery: try Self.delivery(from: Array(row[..<split])), alert: try Self.alert(from: Array(row[split...])))
        }.sorted { ($0.delivery.id ?? 0) < ($1.delivery.id ?? 0) }
    }

    @discardableResult
    public func completeDelivery(id: Int64, outcome: AlertDeliveryOutcome, at: Date) throws -> Bool {
        let (state, next, error) = AlertDeliveryColumns.outcomeFields(outcome)
        return try writeSession.withConnection { conn in
            try conn.transaction { () throws -> Bool in
                let changed = try conn.query("""
                    UPDATE alert_deliveries SET state = $1::text, attempts = attempts + 1,
                        next_attempt_at = CASE WHEN $2::bigint IS NULL THEN next_attempt_at ELSE \(PostgresTime.param(2)) END,
                        last_error = $3, delivered_at = CASE WHEN $1::text = 'delivered' THEN \(PostgresTime.param(4)) ELSE delivered_at END
                    WHERE id = $5::bigint AND state = 'pending'
                    """, [state.rawValue, next.map(Self.millis), error, Self.millis(at), String(id)]).affectedRows
                guard changed == 1 else { return false }
                _ = try conn.query(AlertDeliveryColumns.refreshAlertSQL
                                   + " WHERE id = (SELECT alert_id FROM alert_deliveries WHERE id = $1::bigint)", [String(id)])
                return true
            }
        }
    }

    static func parameters(of d: AlertDelivery) -> [String?] {
        [String(d.alertID), d.destination, d.kind.rawValue, d.action.rawValue, d.groupKey, d.state.rawValue, String(d.attempts),
         millis(d.nextAttemptAt), d.lastError, millis(d.createdAt), d.deliveredAt.map(millis)]
    }

    /// A row of `SELECT d.id, <deliverySelectList>`.
    static func delivery(from row: [String?]) throws -> AlertDelivery {
        func date(_ i: Int) -> Date? { row[i].flatMap { Int64($0) }.map { Date(timeIntervalSince1970: Double($0) / 1_000) } }
        return AlertDelivery(
            id: Int64(row[0] ?? ""), alertID: Int64(row[1] ?? "") ?? 0, destination: row[2] ?? "",
            kind: try AlertColumns.enumValue(row[3] ?? "", "destination_kind"), action: try AlertColumns.enumValue(row[4] ?? "", "action"),
            groupKey: row[5] ?? "", state: try AlertColumns.enumValue(row[6] ?? "", "state"), attempts: Int(row[7] ?? "") ?? 0,
            nextAttemptAt: date(8) ?? Date(timeIntervalSince1970: 0), lastError: row[9],
            createdAt: date(10) ?? Date(timeIntervalSince1970: 0), deliveredAt: date(11))
    }
}
