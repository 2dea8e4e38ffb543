/// The one statement that writes a batch: raw rows, id ledger and all three rollups in a single
/// round trip and transaction. Data-modifying CTEs all see the `inserted` rows, so rollups grow
/// only by rows that were really new: a replayed duplicate is skipped by the ledger's
/// `ON CONFLICT DO NOTHING` and counted nowhere.
enum PostgresInsertSQL {
    static let batch: String = {
        let input = PostgresRecordMapping.inputColumns
        let unnestArgs = input.enumerated().map { "$\($0.offset + 1)::\($0.element.1)[]" }.joined(separator: ", ")
        let aliases = input.map(\.0).joined(separator: ", ")
        let selectInput = input.map { column, _ in
            switch column {
            case "time_ms": "timestamptz 'epoch' + i.time_ms * interval '1 millisecond'"
            case "attempts": "i.attempts::jsonb"
            default: "i.\(column)"
            }
        }.joined(separator: ", ")
        let rollups = RollupTable.allCases.map { table -> String in
            let truncated = "date_trunc('\(table.granularity == .day ? "day" : "hour")', time, 'UTC')"
            let keys = [truncated] + table.keys.dropFirst()
            let positions = (1...table.keys.count).map(String.init).joined(separator: ", ")
            // ORDER BY: concurrent writers lock rollup rows in the same order, so they cannot deadlock.
            return """
                \(table.name)_upsert AS (
                    INSERT INTO \(table.name) AS r (\(table.columns.joined(separator: ", ")))
                    SELECT \(keys.joined(separator: ", ")), \(RollupTable.aggregatesOverRaw)
                    FROM inserted \(table == .outcomeHourly ? "WHERE outcome IS NOT NULL" : "")
                    GROUP BY \(positions) ORDER BY \(positions)
                    ON CONFLICT (\(table.keys.joined(separator: ", "))) DO UPDATE SET
                    \(RollupTable.accumulate(existing: "r.", excluded: "EXCLUDED"))
                )
                """
        }.joined(separator: ",\n")
        return """
            WITH input AS (
                SELECT * FROM unnest(\(unnestArgs)) AS t(\(aliases))
            ), fresh AS (
                INSERT INTO llm_request_ids (request_id, time)
                SELECT request_id, timestamptz 'epoch' + time_ms * interval '1 millisecond' FROM input
                ORDER BY request_id
                ON CONFLICT (request_id) DO NOTHING
                RETURNING request_id
            ), inserted AS (
                INSERT INTO llm_requests (\(PostgresRecordMapping.storedColumns.joined(separator: ", ")))
                SELECT \(selectInput) FROM input i JOIN fresh f ON f.request_id = i.request_id
                RETURNING *
            ),
            \(rollups)
            SELECT count(*) FROM inserted
            """
    }()
}
