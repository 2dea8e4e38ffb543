import FinOpsCore
import Foundation

/// `RequestSearch` on SQLite. The WHERE clause is assembled from fixed fragments for the
/// filters present (values bound as parameters), so the planner can pick the matching
/// `(column, time)` index instead of scanning past `? IS NULL OR …` terms.
extension SQLiteTelemetryStore: RequestSearch {
    public func requests(_ query: RequestQuery) throws -> [TelemetryRecord] {
        var terms: [String] = []
        var values: [SQLiteValue] = []
        for (column, value) in query.equalities {
            values.append(.text(value))
            terms.append("\(column) = ?\(values.count)")
        }
        if let from = query.from {
            values.append(.integer(SpendRollup.Granularity.epochMillis(from)))
            terms.append("time >= ?\(values.count)")
        }
        if let to = query.to {
            values.append(.integer(SpendRollup.Granularity.epochMillis(to)))
            terms.append("time < ?\(values.count)")
        }
        if let cursor = query.before {
            values.append(.integer(cursor.timeMillis))
            let t = values.count
            values.append(.text(cursor.requestID))
            terms.append("(time < ?\(t) OR (time = ?\(t) AND request_id < ?\(t + 1)))")
        }
        values.append(.integer(Int64(query.limit)))
        let sql = """
            SELECT \(SQLiteRecordMapping.columnList) FROM llm_requests
            \(terms.isEmpty ? "" : "WHERE " + terms.joined(separator: " AND "))
            ORDER BY time DESC, request_id DESC LIMIT ?\(values.count)
            """
        let decoder = JSONDecoder()
        return try lock.withLock {
            try db.prepare(sql).query(values) { try SQLiteRecordMapping.record(from: $0, decoder: decoder) }
        }
    }
}
