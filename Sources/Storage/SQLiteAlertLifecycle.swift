import FinOpsCore
import Foundation

/// The scheduler's alert lifecycle on SQLite. Every change is one `BEGIN IMMEDIATE`
/// transaction, so writers (another replica's process on the same file included) are serialised
/// and "raise unless already firing" cannot race.
extension SQLiteTelemetryStore {
    private static var selectAlerts: String { "SELECT id, \(AlertColumns.names.joined(separator: ", ")) FROM alerts" }

    public func firingAlerts(limit: Int) throws -> [AlertRecord] {
        try lock.withLock {
            try db.prepare("\(Self.selectAlerts) WHERE state = 'firing' ORDER BY id LIMIT ?1")
                .query([.integer(Int64(max(0, limit)))]) { try Self.alert(from: $0) }
        }
    }

    public func alertsResolved(since: Date, limit: Int) throws -> [AlertRecord] {
        try lock.withLock {
            try db.prepare("\(Self.selectAlerts) WHERE resolved_at IS NOT NULL AND resolved_at >= ?1 ORDER BY resolved_at DESC, id DESC LIMIT ?2")
                .query([.integer(SpendRollup.Granularity.epochMillis(since)), .integer(Int64(max(0, limit)))]) { try Self.alert(from: $0) }
        }
    }

    public func raiseAlert(_ alert: AlertRecord, deliveries: [AlertDelivery]) throws -> Int64? {
        let marks = Array(repeating: "?", count: AlertColumns.names.count).joined(separator: ", ")
        return try lock.withLock {
            try db.transaction { () throws -> Int64? in
                let firing = try db.prepare("SELECT id FROM alerts WHERE alert_key = ?1 AND state = 'firing' LIMIT 1")
                    .query([.text(alert.fingerprint)]) { $0.int64(0) }
                guard firing.isEmpty else { return nil }
                try db.prepare("INSERT INTO alerts (\(AlertColumns.names.joined(separator: ", "))) VALUES (\(marks))")
                    .execute(Self.values(of: alert))
                let id = try db.prepare("SELECT last_insert_rowid()").query { $0.int64(0) }.first ?? 0
                try insertDeliveries(deliveries, alertID: id)
                return id
            }
        }
    }

    @discardableResult
    public func updateFiringAlert(_ alert: AlertRecord) throws -> Bool {
        guard let id = alert.id else { return false }
        return try lock.withLock {
            try db.prepare("""
                UPDATE alerts SET severity = ?1, title = ?2, message = ?3, value = ?4, threshold = ?5, labels = ?6
                WHERE id = ?7 AND state = 'firing'
                """).execute([.text(alert.severity.rawValue), .text(alert.title), .text(alert.message),
                              alert.value.flatMap { $0.isFinite ? .real($0) : nil } ?? .null,
                              alert.threshold.flatMap { $0.isFinite ? .real($0) : nil } ?? .null,
                              .text(AlertColumns.labelsJSON(alert.labels)), .integer(id)])
            return db.changes == 1
        }
    }

    @discardableResult
    public func resolveAlert(id: Int64, at: Date, deliveries: [AlertDelivery]) throws -> Bool {
        try lock.withLock {
            try db.transaction { () throws -> Bool in
                try db.prepare("UPDATE alerts SET state = 'resolved', resolved_at = ?1 WHERE id = ?2 AND state = 'firing'")
                    .execute([.integer(SpendRollup.Granularity.epochMillis(at)), .integer(id)])
                guard db.changes == 1 else { return false }
                if !deliveries.isEmpty {
                    try insertDeliveries(deliveries, alertID: id)
                    try db.prepare(AlertDeliveryColumns.refreshAlertSQL + " WHERE id = ?1").execute([.integer(id)])
                }
                return true
            }
        }
    }

    public func acquireLease(_ name: String, owner: String, now: Date, until: Date) throws -> Bool {
        try lock.withLock {
            try db.prepare("""
                INSERT INTO scheduler_leases (name, owner, expires_at) VALUES (?1, ?2, ?3)
                ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
                WHERE scheduler_leases.owner = excluded.owner OR scheduler_leases.expires_at <= ?4
                """).execute([.text(name), .text(owner), .integer(SpendRollup.Granularity.epochMillis(until)),
                              .integer(SpendRollup.Granularity.epochMillis(now))])
            return db.changes == 1
        }
    }

    public func releaseLease(_ name: String, owner: String) throws {
        try lock.withLock {
            try db.prepare("DELETE FROM scheduler_leases WHERE name = ?1 AND owner = ?2").execute([.text(name), .text(owner)])
        }
    }
}
