import FinOpsCore
import Foundation
@testable import Storage
import XCTest

/// A PostgreSQL database from before the latency buckets (schema version 5, rollups with the
/// base measures only) upgrades to rollups whose histograms equal those of the raw rows.
final class PostgresRollupUpgradeTests: XCTestCase {
    func testLatencyBucketsAreBackfilledFromRawRows() throws {
        let url = try PostgresTestDatabase.create(for: self)
        let conn = try PostgresConnection(url: url)
        defer { conn.close() }
        let before = PostgresMigrations.all.filter { $0.version <= 5 }
        XCTAssertEqual(try PostgresMigrations.apply(before, to: conn), [1, 2, 3, 4, 5])

        var rng = SplitMix64(seed: 11)
        let records = (0..<400).map { randomRecord(&rng, index: $0) }
        for month in ["2026-01-15", "2026-02-15"] {
            _ = try conn.query("SELECT finops_ensure_request_partition($1::timestamptz)", [month])
        }
        // Raw rows as version 5 wrote them, then its rollups (base measures) from those rows.
        let params = try PostgresRecordMapping.arrayParameters(records, encoder: JSONEncoder())
        let input = PostgresRecordMapping.inputColumns
        let unnest = input.enumerated().map { "$\($0.offset + 1)::\($0.element.1)[]" }.joined(separator: ", ")
        let select = input.map { column, _ in
            column == "time_ms" ? "timestamptz 'epoch' + time_ms * interval '1 millisecond'"
                : column == "attempts" ? "attempts::jsonb" : column
        }.joined(separator: ", ")
        _ = try conn.query("""
            INSERT INTO llm_requests (\(PostgresRecordMapping.storedColumns.joined(separator: ", ")))
            SELECT \(select) FROM unnest(\(unnest)) AS t(\(input.map(\.0).joined(separator: ", ")))
            """, params)
        for table in RollupTable.allCases {
            let bucket = "date_trunc('\(table.granularity == .day ? "day" : "hour")', time, 'UTC')"
            try conn.execute(rawSQL: """
                INSERT INTO \(table.name) (\((table.keys + RollupTable.baseMeasures).joined(separator: ", ")))
                SELECT \(bucket), \(table.keys.dropFirst().joined(separator: ", ")), \(RollupTable.baseAggregatesOverRaw)
                FROM llm_requests \(table == .outcomeHourly ? "WHERE outcome IS NOT NULL" : "")
                GROUP BY \((1...table.keys.count).map(String.init).joined(separator: ", "))
                """)
        }

        XCTAssertEqual(try PostgresMigrations.apply(to: conn), PostgresMigrations.all.map(\.version).filter { $0 >= 6 })
        let store = PostgresTelemetryStore(url: url)
        defer { store.close() }
        for granularity in SpendRollup.Granularity.allCases {
            let expected = SpendRollup.aggregate(records, granularity)
            let actual = try store.spendRollups(granularity, from: .distantPast, to: .distantFuture, team: nil)
            XCTAssertEqual(actual.count, expected.count)
            for row in actual {
                XCTAssertTrue(row.totals.matches(expected[row.key] ?? SpendTotals()), "\(granularity) \(row.key)")
                XCTAssertEqual(row.totals.latency.total, row.totals.requests)
            }
        }
        let outcomes = try store.outcomeRollups(from: .distantPast, to: .distantFuture, team: nil)
        XCTAssertEqual(outcomes.reduce(0) { $0 + $1.totals.latency.total }, records.filter { $0.outcome != nil }.count)
        // New rows after the upgrade keep adding to the same buckets.
        XCTAssertEqual(try store.insert([sampleRecord(9_999, time: records[0].time)]), 1)
    }
}
