import FinOpsCore
import Foundation

/// `RequestSearch` on PostgreSQL, on the read connection: the WHERE clause holds only the
/// filters present (fixed fragments, values bound), so partition pruning and the
/// `(column, time)` indexes apply.
extension PostgresTelemetryStore: RequestSearch {
    public func requests(_ query: RequestQuery) throws -> [TelemetryRecord] {
        var terms: [String] = []
        var values: [String?] = []
        func timestamp(_ n: Int) -> String { "timestamptz 'epoch' + $\(n)::bigint * interval '1 millisecond'" }
        for (column, value) in query.equalities {
            values.append(value)
            terms.append("\(column) = $\(values.count)")
        }
        if let from = query.from {
            values.append(Self.millis(from))
            terms.append("time >= \(timestamp(values.count))")
        }
        if let to = query.to {
            values.append(Self.millis(to))
            terms.append("time < \(timestamp(values.count))")
        }
        if let cursor = query.before {
            // timestamptz spans 4713 BC to 294276 AD; a cursor outside holds no rows either way.
            values.append(String(min(max(cursor.timeMillis, -210_000_000_000_000), 8_000_000_000_000_000)))
            let t = values.count
            values.append(cursor.requestID)
            terms.append("(time, request_id) < (\(timestamp(t)), $\(t + 1))")
        }
        values.append(String(query.limit))
        let sql = """
            SELECT \(PostgresRecordMapping.selectList) FROM llm_requests
            \(terms.isEmpty ? "" : "WHERE " + terms.joined(separator: " AND "))
            ORDER BY time DESC, request_id DESC LIMIT $\(values.count)
            """
        let rows = try readSession.withConnection { conn in try conn.query(sql, values).rows }
        let decoder = JSONDecoder()
        return try rows.map { try PostgresRecordMapping.record(from: $0, decoder: decoder) }
    }
}
