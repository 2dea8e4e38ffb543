import FinOpsCore
import Foundation

/// The scheduler's alert lifecycle on PostgreSQL. "Raise unless already firing" takes a
/// transaction-scoped advisory lock on the fingerprint, so two replicas racing on the same
/// condition insert it once (READ COMMITTED alone would let both see "not firing").
extension PostgresTelemetryStore {
    private static var selectAlerts: String { "SELECT id, \(alertSelectList) FROM alerts" }

    public func firingAlerts(limit: Int) throws -> [AlertRecord] {
        let rows = try readSession.withConnection { conn in
            try conn.query("\(Self.selectAlerts) WHERE state = 'firing' ORDER BY id LIMIT $1", [String(max(0, limit))]).rows
        }
        return try rows.map(Self.alert(from:))
    }

    public func alertsResolved(since: Date, limit: Int) throws -> [AlertRecord] {
        let rows = try readSession.withConnection { conn in
            try conn.query("""
                \(Self.selectAlerts) WHERE resolved_at IS NOT NULL AND resolved_at >= \(PostgresTime.param(1))
                ORDER BY resolved_at DESC, id DESC LIMIT $2
                """, [Self.millis(since), String(max(0, limit))]).rows
        }
        return try rows.map(Self.alert(from:))
    }

    public func raiseAlert(_ alert: AlertRecord, deliveries: [AlertDelivery]) throws -> Int64? {
        let placeholders = AlertColumns.names.enumerated().map { i, column in
            switch column {
            case "time", "delivered_at", "resolved_at": PostgresTime.param(i + 1)
            case "labels": "$\(i + 1)::jsonb"
            case "value", "threshold": "$\(i + 1)::double precision"
            case "delivery_attempts": "$\(i + 1)::integer"
            default: "$\(i + 1)"
            }
        }
        return try writeSession.withConnection { conn in
            try conn.transaction { () throws -> Int64? in
                _ = try conn.query("SELECT pg_advisory_xact_lock(hashtext($1))", [alert.fingerprint])
                let firing = try conn.query("SELECT id FROM alerts WHERE alert_key = $1 AND state = 'firing' LIMIT 1",
                                            [alert.fingerprint]).rows
                guard firing.isEmpty else { return nil }
                let id = Int64(try conn.query("""
                    INSERT INTO alerts (\(AlertColumns.names.joined(separator: ", "))) VALUES (\(placeholders.joined(separator: ", ")))
                    RETURNING id
                    """, Self.parameters(of: alert)).scalar()) ?? 0
                try insertDeliveries(deliveries, alertID: id, conn)
                return id
            }
        }
    }

    @discardableResult
    public func updateFiringAlert(_ alert: AlertRecord) throws -> Bool {
        guard let id = alert.id else { return false }
        func number(_ v: Double?) -> String? { v.flatMap { $0.isFinite ? "\($0)" : nil } }
        return try writeSession.withConnection { conn in
            try conn.query("""
                UPDATE alerts SET severity = $1, title = $2, message = $3, value = $4::double precision,
                    threshold = $5::double precision, labels = $6::jsonb
                WHERE id = $7::bigint AND state = 'firing'
                """, [alert.severity.rawValue, alert.title, alert.message, number(alert.value), number(alert.threshold),
                      AlertColumns.labelsJSON(alert.labels), String(id)]).affectedRows == 1
        }
    }

    @discardableResult
    public func resolveAlert(id: Int64, at: Date, deliveries: [AlertDelivery]) throws -> Bool {
        try writeSession.withConnection { conn in
            try conn.transaction { () throws -> Bool in
                let changed = try conn.query("""
                    UPDATE alerts SET state = 'resolved', resolved_at = \(PostgresTime.param(1))
                    WHERE id = $2::bigint AND state = 'firing'
                    """, [Self.millis(at), String(id)]).affectedRows
                guard changed == 1 else { return false }
                if !deliveries.isEmpty {
                    try insertDeliveries(deliveries, alertID: id, conn)
                    _ = try conn.query(AlertDeliveryColumns.refreshAlertSQL + " WHERE id = $1::bigint", [String(id)])
                }
                return true
            }
        }
    }

    public func acquireLease(_ name: String, owner: String, now: Date, until: Date) throws -> Bool {
        try writeSession.withConnection { conn in
            try conn.query("""
                INSERT INTO scheduler_leases (name, owner, expires_at) VALUES ($1, $2, \(PostgresTime.param(3)))
                ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
                WHERE scheduler_leases.owner = excluded.owner OR scheduler_leases.expires_at <= \(PostgresTime.param(4))
                RETURNING owner
                """, [name, owner, Self.millis(until), Self.millis(now)]).rows.count == 1
        }
    }

    public func releaseLease(_ name: String, owner: String) throws {
        _ = try writeSession.withConnection { conn in
            try conn.query("DELETE FROM scheduler_leases WHERE name = $1 AND owner = $2", [name, owner])
        }
    }
}
