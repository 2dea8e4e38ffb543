import CSQLite
import Foundation
@testable import Storage
import XCTest

/// Proves each C library links and answers; the live-server tests run only when
/// FINOPS_TEST_POSTGRES_URL / FINOPS_TEST_REDIS_URL are set.
final class LibrarySmokeTests: XCTestCase {
    func testSQLiteLinks() {
        XCTAssertTrue(String(cString: sqlite3_libversion()).hasPrefix("3."))
        XCTAssertEqual(SQLiteDatabase.libraryVersion, String(cString: sqlite3_libversion()))
    }

    func testLibPQLinks() {
        XCTAssertGreaterThanOrEqual(PostgresConnection.libraryVersion, 90_000)
    }

    func testPostgresSelectOne() throws {
        let url = try environment("FINOPS_TEST_POSTGRES_URL")
        let connection = try PostgresConnection(url: url)
        XCTAssertEqual(try connection.simpleQuery(rawSQL: "SELECT 1"), [["1"]])
        XCTAssertEqual(try connection.simpleQuery(rawSQL: "SELECT NULL::text, 'x'"), [[nil, "x"]])
        XCTAssertThrowsError(try connection.simpleQuery(rawSQL: "SELEC 1")) { error in
            XCTAssertEqual((error as? StorageError)?.kind, .postgres)
            XCTAssertTrue("\(error)".contains("42601"), "\(error)")  // syntax_error SQLSTATE
        }
        XCTAssertEqual(try connection.simpleQuery(rawSQL: "SELECT 2"), [["2"]], "connection survives an error")
    }

    func testRedisPingSetGet() throws {
        guard let url = URLComponents(string: try environment("FINOPS_TEST_REDIS_URL")), let host = url.host else {
            throw XCTSkip("FINOPS_TEST_REDIS_URL is not a redis://host:port URL")
        }
        let redis = try RedisConnection(host: host, port: url.port ?? 6379, timeoutMs: 2_000)
        let key = "finops:test:\(UUID().uuidString)"
        defer { _ = try? redis.command(["DEL", key]) }
        XCTAssertEqual(try redis.command(["PING"]), .status("PONG"))
        let value = "v\u{0}with nul and é"
        XCTAssertEqual(try redis.command(["SET", key, value]), .status("OK"))
        XCTAssertEqual(try redis.command(["GET", key]), .string(value))
        XCTAssertEqual(try redis.command(["GET", key + ":missing"]), .null)
        XCTAssertEqual(try redis.command(["DEL", key]), .integer(1))
        guard case .error = try redis.command(["NOSUCHCOMMAND"]) else { return XCTFail("expected an error reply") }
        XCTAssertEqual(try redis.command(["PING"]), .status("PONG"), "connection survives an error reply")
    }

    func testRedisClosedPortGivesClearError() {
        XCTAssertThrowsError(try RedisConnection(host: "127.0.0.1", port: 1, timeoutMs: 500)) { error in
            XCTAssertEqual((error as? StorageError)?.kind, .redis)
            XCTAssertTrue("\(error)".contains("127.0.0.1:1"), "\(error)")
            XCTAssertTrue("\(error)".lowercased().contains("refused"), "\(error)")
        }
    }

    func testPostgresClosedPortErrorNeverShowsPassword() {
        for url in ["postgres://u:s3cret@127.0.0.1:1/db",
                    "host=127.0.0.1 port=1 user=u password=s3cret dbname=db connect_timeout=2",
                    "postgresql://u:s3cret@[::1/db"] {  // malformed: libpq echoes the URI
            XCTAssertThrowsError(try PostgresConnection(url: url)) { error in
                XCTAssertEqual((error as? StorageError)?.kind, .postgres)
                XCTAssertFalse("\(error)".contains("s3cret"), "\(error)")
                XCTAssertFalse(String(reflecting: error).contains("s3cret"), String(reflecting: error))
                XCTAssertGreaterThan((error as? StorageError)?.message.count ?? 0, 10, "\(error)")
            }
        }
    }

    func testRedactionCoversEchoedConnectionStrings() {
        let redact = ConnectionStringRedaction.redact
        XCTAssertEqual(redact("bad \"postgres://u:p%40ss@h/db\"", "postgres://u:p%40ss@h/db"), "bad \"postgres://u:***@h/db\"")
        XCTAssertEqual(redact("x password=abc y", nil), "x password=*** y")
        XCTAssertEqual(redact("echo hunter2 here", "postgres://u:hunter2@h/db"), "echo *** here")
    }

    private func environment(_ name: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            throw XCTSkip("set \(name) to run this test against a live server")
        }
        return value
    }
}
