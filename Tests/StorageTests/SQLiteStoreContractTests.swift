import FinOpsCore
import Foundation
@testable import Storage
import XCTest

/// `TelemetryStoreContract` against SQLite, plus SQLite-only schema checks.
final class SQLiteStoreContractTests: XCTestCase {
    private func makeStore() throws -> SQLiteTelemetryStore {
        try SQLiteTelemetryStore(path: try temporaryDirectory(self).appendingPathComponent("t.sqlite").path)
    }

    func testRoundTrip() throws { try TelemetryStoreContract.roundTripKeepsEveryField(try makeStore()) }
    func testInsertIsIdempotent() throws { try TelemetryStoreContract.insertIsIdempotent(try makeStore()) }
    func testHostileText() throws {
        try TelemetryStoreContract.boundParametersSurviveHostileText(try makeStore(), keepsNUL: true)
    }
    func testRollupsEqualRawSums() throws { try TelemetryStoreContract.rollupsEqualSumsOverRawRows(try makeStore()) }
    func testRangeQueries() throws { try TelemetryStoreContract.rangeQueriesAreHalfOpenAndFilterByTeam(try makeStore()) }
    func testAlertsRoundTrip() throws { try AlertStoreContract.roundTripKeepsEveryField(try makeStore()) }
    func testAlertRanges() throws { try AlertStoreContract.rangeIsHalfOpenFilteredAndLimited(try makeStore()) }
    func testRequestSearch() throws { try RequestSearchContract.filtersAndPagesMatchTheReference(try makeStore()) }
    func testRequestSearchBindsFilters() throws { try RequestSearchContract.hostileFilterValuesAreBound(try makeStore()) }
    func testSpendSummaries() throws { try SpendSummaryContract.summariesEqualSumsOverRawRows(try makeStore()) }

    /// A database written by version 1 (duplicates allowed, no rollups) upgrades cleanly:
    /// duplicates collapse to one row and the rollups are backfilled from the raw rows.
    func testUpgradeFromVersion1BackfillsRollups() throws {
        let path = try temporaryDirectory(self).appendingPathComponent("old.sqlite").path
        let db = try SQLiteDatabase(path: path)
        try SQLiteMigrations.apply(Array(SQLiteMigrations.all.prefix(1)), to: db)
        var rng = SplitMix64(seed: 5)
        let records = (0..<300).map { randomRecord(&rng, index: $0) }
        let encoder = JSONEncoder()
        // Version 1 has the first 29 columns (later migrations add more).
        let v1Columns = SQLiteRecordMapping.columns.prefix(29).joined(separator: ", ")
        let insert = try db.prepare("INSERT INTO llm_requests (\(v1Columns)) VALUES (\(Array(repeating: "?", count: 29).joined(separator: ",")))")
        for r in records + records.prefix(20) { try insert.execute(Array(try SQLiteRecordMapping.values(of: r, encoder: encoder).prefix(29))) }
        db.close()

        let store = try SQLiteTelemetryStore(path: path)
        XCTAssertEqual(try store.count(), 300)
        let expected = SpendRollup.aggregate(records, .day)
        let actual = try store.spendRollups(.day, from: .distantPast, to: .distantFuture, team: nil)
        XCTAssertEqual(actual.count, expected.count)
        for row in actual { XCTAssertTrue(row.totals.matches(expected[row.key] ?? SpendTotals()), "\(row.key)") }
        XCTAssertEqual(try store.insert(Array(records.prefix(5))), 0)
    }

    func testSchemaHasEveryTable() throws {
        let path = try temporaryDirectory(self).appendingPathComponent("s.sqlite").path
        _ = try SQLiteTelemetryStore(path: path)
        let db = try SQLiteDatabase(path: path)
        let tables = try db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").query { $0.text(0) }
        XCTAssertEqual(tables, ["alert_deliveries", "alerts", "budgets", "llm_requests", "scheduler_leases", "schema_migrations", "spend_rollup_daily",
                                "spend_rollup_hourly", "spend_rollup_outcome_hourly"])
        XCTAssertEqual(try SQLiteMigrations.apply(to: db), [], "migrations are idempotent")
    }

    func testPruneDeletesOldRawRowsButKeepsRollups() throws {
        let store = try makeStore()
        let old = sampleRecord(1, time: Date(timeIntervalSince1970: 1_700_000_000))
        let new = sampleRecord(2, time: Date(timeIntervalSince1970: 1_760_000_000))
        try store.insert([old, new])
        XCTAssertEqual(try store.pruneRequests(before: Date(timeIntervalSince1970: 1_750_000_000)).count, 1)
        XCTAssertEqual(try store.recentRequests(limit: 10).map(\.requestID), ["req-2"])
        XCTAssertEqual(try store.spendRollups(.day, from: .distantPast, to: .distantFuture, team: nil).count, 2)
    }
}
