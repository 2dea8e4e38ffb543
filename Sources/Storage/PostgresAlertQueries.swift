import FinOpsCore
import Foundation

/// `AlertStore` on PostgreSQL: times travel as exact unix milliseconds, every value bound.
extension PostgresTelemetryStore: AlertStore {
    @discardableResult
    public func insertAlert(_ a: AlertRecord) throws -> Int64 {
        let placeholders = AlertColumns.names.enumerated().map { i, column in
            switch column {
            case "time", "delivered_at", "resolved_at": "timestamptz 'epoch' + $\(i + 1)::bigint * interval '1 millisecond'"
            case "labels": "$\(i + 1)::jsonb"
            case "value", "threshold": "$\(i + 1)::double precision"
            case "delivery_attempts": "$\(i + 1)::integer"
            default: "$\(i + 1)"
            }
        }
        return try writeSession.withConnection { conn in
            Int64(try conn.query("""
                INSERT INTO alerts (\(AlertColumns.names.joined(separator: ", "))) VALUES (\(placeholders.joined(separator: ", ")))
                RETURNING id
                """, Self.parameters(of: a)).scalar()) ?? 0
        }
    }

    public func alerts(from: Date, to: Date, team: String?, limit: Int) throws -> [AlertRecord] {
        let rows = try readSession.withConnection { conn in
            try conn.query("""
                SELECT id, \(Self.alertSelectList) FROM alerts
                WHERE time >= timestamptz 'epoch' + $1::bigint * interval '1 millisecond'
                  AND time < timestamptz 'epoch' + $2::bigint * interval '1 millisecond'
                  AND ($3::text IS NULL OR team = $3)
                ORDER BY time DESC, id DESC LIMIT $4
                """, [Self.millis(from), Self.millis(to), team, String(max(0, limit))]).rows
        }
        return try rows.map(Self.alert(from:))
    }

    static let alertSelectList = alertSelectList(qualifier: "")

    /// The alert columns as read back (times in unix ms, labels as text), each prefixed with
    /// `qualifier` (`a.`) when the query joins another table.
    static func alertSelectList(qualifier q: String) -> String {
        AlertColumns.names.map { column in
            switch column {
            case "time", "delivered_at", "resolved_at": "(extract(epoch FROM \(q)\(column)) * 1000)::bigint"
            case "labels": "\(q)labels::text"
            default: q + column
            }
        }.joined(separator: ", ")
    }

    static func parameters(of a: AlertRecord) -> [String?] {
        func number(_ v: Double?) -> String? { v.flatMap { $0.isFinite ? "\($0)" : nil } }
        return [millis(a.time), a.fingerprint, a.kind, a.severity.rawValue, a.state.rawValue, a.org, a.team, a.title,
                a.message, number(a.value), number(a.threshold), AlertColumns.labelsJSON(a.labels),
                a.deliveryState.rawValue, String(a.deliveryAttempts), a.deliveredAt.map(millis), a.resolvedAt.map(millis)]
    }

    /// A row of `SELECT id, <alertSelectList>`.
    static func alert(from row: [String?]) throws -> AlertRecord {
        func date(_ i: Int) -> Date? { row[i].flatMap { Int64($0) }.map { Date(timeIntervalSince1970: Double($0) / 1_000) } }
        return AlertRecord(
            id: Int64(row[0] ?? ""), time: date(1) ?? Date(timeIntervalSince1970: 0), fingerprint: row[2] ?? "",
            kind: row[3] ?? "", severity: try AlertColumns.enumValue(row[4] ?? "", "severity"),
            state: try AlertColumns.enumValue(row[5] ?? "", "state"), org: row[6] ?? "", team: row[7] ?? "",
            title: row[8] ?? "", message: row[9] ?? "", value: row[10].flatMap(Double.init),
            threshold: row[11].flatMap(Double.init), labels: try AlertColumns.labels(row[12] ?? "{}"),
            deliveryState: try AlertColumns.enumValue(row[13] ?? "", "delivery_state"),
            deliveryAttempts: Int(row[14] ?? "") ?? 0, deliveredAt: date(15), resolvedAt: date(16))
    }
}
