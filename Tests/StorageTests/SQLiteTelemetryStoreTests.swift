import FinOpsCore
import Foundation
@testable import Storage
import XCTest

final class SQLiteTelemetryStoreTests: XCTestCase {
    private func makeStore() throws -> (SQLiteTelemetryStore, String) {
        // A nested path proves the store creates its parent directory.
        let path = try temporaryDirectory(self).appendingPathComponent("data/telemetry.sqlite").path
        return (try SQLiteTelemetryStore(path: path), path)
    }

    func testRoundTripKeepsEveryField() throws {
        let (store, _) = try makeStore()
        let full = sampleRecord(1)
        let minimal = TelemetryRecord(time: Date(timeIntervalSince1970: 1_750_000_000), requestID: "req-min",
                                      requestedModel: "gpt-4o")  // nil optionals, empty attempts
        try store.insert([full, minimal])
        XCTAssertEqual(try store.count(), 2)
        let back = try store.recentRequests(limit: 10)
        XCTAssertEqual(back, [full, minimal])
    }

    func testMigrationsAreIdempotent() throws {
        let (store, path) = try makeStore()
        try store.insert([sampleRecord()])
        let reopened = try SQLiteTelemetryStore(path: path)
        XCTAssertEqual(try reopened.count(), 1)

        let db = try SQLiteDatabase(path: path)
        XCTAssertEqual(try SQLiteMigrations.apply(to: db), [])
        XCTAssertEqual(try SQLiteMigrations.currentVersion(of: db), SQLiteMigrations.all.last?.version)
        let rows = try db.prepare("SELECT COUNT(*) FROM schema_migrations").query { $0.int(0) }
        XCTAssertEqual(rows, [SQLiteMigrations.all.count])
    }

    func testRecentRequestsIsNewestFirstAndLimited() throws {
        let (store, _) = try makeStore()
        let base = Date(timeIntervalSince1970: 1_750_000_000)
        let records = [3, 0, 4, 1, 2].map { sampleRecord($0, time: base.addingTimeInterval(Double($0))) }
        try store.insert(records)
        XCTAssertEqual(try store.recentRequests(limit: 3).map(\.requestID), ["req-4", "req-3", "req-2"])
        XCTAssertEqual(try store.recentRequests(limit: 100).count, 5)
        XCTAssertEqual(try store.recentRequests(limit: 0), [])
    }

    func testBoundParametersSurviveHostileText() throws {
        let (store, _) = try makeStore()
        let hostile = "'); DROP TABLE llm_requests;--"
        var record = sampleRecord()
        record.requestID = hostile
        record.team = hostile
        record.outcome = "\"; DELETE FROM schema_migrations; -- \u{0}nul"
        record.attempts = [hostile]
        try store.insert([record, sampleRecord(2)])
        XCTAssertEqual(try store.count(), 2)
        XCTAssertEqual(try store.recentRequests(limit: 10).first { $0.requestID == hostile }, record)
    }

    func testDatabaseUsesWALAndNormalSync() throws {
        let (_, path) = try makeStore()
        let db = try SQLiteDatabase(path: path)
        XCTAssertEqual(try db.prepare("PRAGMA journal_mode").query { $0.text(0) }, ["wal"])
        XCTAssertEqual(try db.prepare("PRAGMA synchronous").query { $0.int(0) }, [1])  // NORMAL
    }

    func testTransactionRollsBackWhenBodyThrows() throws {
        let db = try SQLiteDatabase(path: try temporaryDirectory(self).appendingPathComponent("t.sqlite").path)
        try db.execute(rawSQL: "CREATE TABLE t (v TEXT NOT NULL)")
        let insert = try db.prepare("INSERT INTO t (v) VALUES (?)")
        struct Abort: Error {}
        XCTAssertThrowsError(try db.transaction {
            try insert.execute([.text("a")])
            throw Abort()
        })
        XCTAssertEqual(try db.prepare("SELECT COUNT(*) FROM t").query { $0.int(0) }, [0])
    }

    func testErrorsAreStructuredNotCrashes() throws {
        let db = try SQLiteDatabase(path: ":memory:")
        XCTAssertThrowsError(try db.prepare("SELEC nonsense")) { error in
            let storageError = try? XCTUnwrap(error as? StorageError)
            XCTAssertEqual(storageError?.kind, .sqlite)
            XCTAssertEqual(storageError?.code, 1)  // SQLITE_ERROR
            XCTAssertTrue("\(error)".contains("syntax error"), "\(error)")
        }
        let statement = try db.prepare("SELECT ?")
        XCTAssertThrowsError(try statement.execute([]))  // wrong parameter count
        db.close()
        XCTAssertThrowsError(try db.execute(rawSQL: "SELECT 1")) { error in
            XCTAssertEqual((error as? StorageError)?.kind, .closed)
        }
    }
}
