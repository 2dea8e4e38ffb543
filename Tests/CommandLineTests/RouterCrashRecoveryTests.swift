import FinOpsCore
import FinOpsTestSupport
import Foundation
import Storage
import XCTest

/// The whole product under a real failure: a router on PostgreSQL whose database is down
/// spills every row; it is killed with SIGKILL while the spill is non-empty; the database
/// comes back; a new router on the same spill directory replays it. Every request id must be
/// in the database exactly once.
final class RouterCrashRecoveryTests: XCTestCase {
    func testKill9WithANonEmptySpillLosesAndDuplicatesNothing() throws {
        guard PostgresScratchDatabase.serverURL != nil || ProcessInfo.processInfo.environment["CI"] != nil else {
            throw XCTSkip("FINOPS_TEST_POSTGRES_URL is not set: PostgreSQL fault test skipped (scripts/test sets it)")
        }
        let dir = try temporaryDirectory(self)
        let server = try ThrowawayPostgres()
        defer { server.destroy() }
        let databaseURL = server.url + "?connect_timeout=2"
        try FinOpsRouterBinary.run(["migrate", "--database-url", databaseURL])
        try server.stop(immediate: true)

        let args = ["--database-url", databaseURL, "--spill-dir", dir + "/spill",
                    "--config", try RouterProcess.fastSimulatorConfig(in: dir)]
        let first = try RouterProcess(arguments: args, directory: dir)
        let file = dir + "/requests.jsonl"
        let count = 300
        try ReplayCommandTests.requestsFile(file, count: count, idPrefix: "crash")
        let ids = Set((0..<count).filter { $0 % 5 != 4 }.map { "crash-\($0)" })
        let output = try FinOpsRouterBinary.run(["replay", file, "--url", first.url, "--rate", "0", "--concurrency", "16"])
        XCTAssertTrue(output.contains("ok \(count) "), "the gateway serves while its database is down: \(output)")
        _ = waitFor("every row spilled (log: \(first.logPath))") { first.telemetry()["spilled"] == count }
        XCTAssertEqual(first.telemetry()["dropped"], 0)
        first.kill9()

        try server.start()
        let second = try RouterProcess(arguments: args, directory: dir)
        _ = waitFor("the spill replayed after the restart (log: \(second.logPath))") {
            let t = second.telemetry()
            return t["replayed"] == count && t["spill_pending"] == 0
        }
        XCTAssertEqual(second.terminate(), 0)

        let check = try PostgresConnection(url: server.url)
        let stored = try check.simpleQuery(rawSQL: "SELECT request_id, user_name FROM llm_requests")
        XCTAssertEqual(stored.count, count, "one row per request")
        XCTAssertEqual(Set(stored.compactMap { $0[0] }).count, count, "no duplicates")
        // Row ids are the router's own; the client's marker travels in X-FinOps-User.
        XCTAssertTrue(Set(stored.compactMap { $0[1] }).isSuperset(of: ids), "exactly the requests that were sent")
        XCTAssertEqual(try check.simpleQuery(rawSQL: "SELECT sum(requests) FROM spend_rollup_daily"), [[String(count)]])
        XCTAssertFalse(first.log.contains("password"), "no credentials in logs")
    }
}
