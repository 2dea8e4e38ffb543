import FinOpsCore
import Foundation
@testable import Storage
import XCTest

/// `TelemetryStoreContract` against a real PostgreSQL, plus schema, migration, partition and
/// concurrency checks that only PostgreSQL has.
final class PostgresTelemetryStoreTests: XCTestCase {
    private func makeStore() throws -> (PostgresTelemetryStore, String) {
        let url = try PostgresTestDatabase.create(for: self)
        let store = PostgresTelemetryStore(url: url)
        addTeardownBlock { store.close() }
        return (store, url)
    }

    func testRoundTrip() throws { try TelemetryStoreContract.roundTripKeepsEveryField(try makeStore().0) }
    func testInsertIsIdempotent() throws { try TelemetryStoreContract.insertIsIdempotent(try makeStore().0) }
    func testHostileText() throws {
        try TelemetryStoreContract.boundParametersSurviveHostileText(try makeStore().0, keepsNUL: false)
    }
    func testRollupsEqualRawSums() throws { try TelemetryStoreContract.rollupsEqualSumsOverRawRows(try makeStore().0) }
    func testRangeQueries() throws { try TelemetryStoreContract.rangeQueriesAreHalfOpenAndFilterByTeam(try makeStore().0) }
    func testAlertsRoundTrip() throws { try AlertStoreContract.roundTripKeepsEveryField(try makeStore().0) }
    func testAlertRanges() throws { try AlertStoreContract.rangeIsHalfOpenFilteredAndLimited(try makeStore().0) }
    func testRequestSearch() throws { try RequestSearchContract.filtersAndPagesMatchTheReference(try makeStore().0) }
    func testRequestSearchBindsFilters() throws { try RequestSearchContract.hostileFilterValuesAreBound(try makeStore().0) }
    func testSpendSummaries() throws { try SpendSummaryContract.summariesEqualSumsOverRawRows(try makeStore().0) }

    func testSchemaMigrationsAreIdempotent() throws {
        let url = try PostgresTestDatabase.create(for: self)
        let store = PostgresTelemetryStore(url: url, autoMigrate: false)
        defer { store.close() }
        XCTAssertEqual(try store.migrate(), PostgresMigrations.all.map(\.version))
        XCTAssertEqual(try store.migrate(), [])
        let conn = try PostgresConnection(url: url)
        XCTAssertEqual(try PostgresMigrations.apply(to: conn), [])
        XCTAssertEqual(try PostgresMigrations.currentVersion(of: conn), PostgresMigrations.all.last?.version)
        let tables = try conn.simpleQuery(rawSQL: """
            SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1
            """).map { $0[0] ?? "" }
        XCTAssertEqual(tables, ["alert_deliveries", "alerts", "budgets", "llm_request_ids", "llm_requests", "scheduler_leases", "schema_migrations",
                                "spend_rollup_daily", "spend_rollup_hourly", "spend_rollup_outcome_hourly"])
        XCTAssertEqual(try conn.simpleQuery(rawSQL: "SELECT relkind FROM pg_class WHERE relname = 'llm_requests'"), [["p"]])
    }

    func testMonthlyPartitionsAreCreatedOnDemandAndPruned() throws {
        let (store, url) = try makeStore()
        let jan = Date(timeIntervalSince1970: 1_767_225_600)           // 2026-01-01T00:00:00Z
        let lastMsOfJan = Date(timeIntervalSince1970: 1_769_903_999.999)
        let feb = Date(timeIntervalSince1970: 1_769_904_000)           // 2026-02-01T00:00:00Z
        try store.insert([sampleRecord(1, time: jan), sampleRecord(2, time: lastMsOfJan), sampleRecord(3, time: feb)])
        let conn = try PostgresConnection(url: url)
        let partitions = { try conn.simpleQuery(rawSQL: """
            SELECT c.relname || ':' || (SELECT count(*) FROM llm_requests WHERE tableoid = c.oid)
            FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'llm_requests'::regclass ORDER BY 1
            """).map { $0[0] ?? "" } }
        XCTAssertEqual(try partitions(), ["llm_requests_2026_01:2", "llm_requests_2026_02:1"])

        XCTAssertEqual(try store.pruneRequests(before: feb.addingTimeInterval(-1)), [], "January is not over at that cutoff")
        XCTAssertEqual(try store.pruneRequests(before: feb), ["dropped partition llm_requests_2026_01"])
        XCTAssertEqual(try partitions(), ["llm_requests_2026_02:1"])
        XCTAssertEqual(try store.spendRollups(.day, from: .distantPast, to: .distantFuture, team: nil).count, 3,
                       "rollups outlive raw rows")
        // The store's partition cache is stale now; a late January row recreates the month.
        XCTAssertEqual(try store.insert([sampleRecord(4, time: jan)]), 1)
        XCTAssertEqual(try partitions(), ["llm_requests_2026_01:1", "llm_requests_2026_02:1"])
    }

    /// Two replicas replaying the same rows at the same time: every id lands exactly once.
    func testConcurrentWritersNeverDuplicate() throws {
        let (_, url) = try makeStore()
        let stores = (0..<3).map { _ in PostgresTelemetryStore(url: url) }
        defer { stores.forEach { $0.close() } }
        try stores[0].checkConnection()
        var rng = SplitMix64(seed: 3)
        let records = (0..<3_000).map { randomRecord(&rng, index: $0) }
        let inserted = Counter()
        DispatchQueue.concurrentPerform(iterations: 3) { worker in
            var local = SplitMix64(seed: UInt64(worker))
            for chunk in stride(from: 0, to: records.count, by: 250) {
                var batch = Array(records[chunk..<min(chunk + 250, records.count)])
                batch.shuffle(using: &local)
                do { inserted.add(try stores[worker].insert(batch)) } catch { XCTFail("\(error)") }
            }
        }
        XCTAssertEqual(inserted.value, 3_000)
        XCTAssertEqual(try stores[1].count(), 3_000)
        let requests = try stores[2].spendRollups(.hour, from: .distantPast, to: .distantFuture, team: nil)
            .reduce(0) { $0 + $1.totals.requests }
        XCTAssertEqual(requests, 3_000)
    }

    func testUnreachableServerFailsFastWithoutPassword() throws {
        let store = PostgresTelemetryStore(url: "postgres://finops:hunter2@127.0.0.1:1/none?connect_timeout=2")
        XCTAssertEqual(store.redactedURL, "postgres://finops:***@127.0.0.1:1/none?connect_timeout=2")
        let started = ContinuousClock.now
        XCTAssertThrowsError(try store.insert([sampleRecord()])) { error in
            XCTAssertFalse("\(error)".contains("hunter2"), "\(error)")
            XCTAssertEqual((error as? StorageError)?.kind, .postgres)
        }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(5))
    }
}

/// A thread-safe sum for concurrent test workers.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var total = 0
    func add(_ n: Int) { lock.withLock { total += n } }
    var value: Int { lock.withLock { total } }
}
