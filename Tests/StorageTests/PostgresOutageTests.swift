import FinOpsCore
import FinOpsTestSupport
import Foundation
import Storage
import XCTest

/// PostgreSQL really goes away under load: a private server is crash-stopped while a producer
/// keeps enqueuing, then started again. Every request id must end up stored exactly once, and
/// the rollups must count each once.
final class PostgresOutageTests: XCTestCase {
    func testServerCrashUnderLoadLosesAndDuplicatesNothing() throws {
        guard PostgresTestDatabase.serverURL != nil || ProcessInfo.processInfo.environment["CI"] != nil else {
            throw XCTSkip("FINOPS_TEST_POSTGRES_URL is not set: PostgreSQL fault test skipped (scripts/test sets it)")
        }
        let server = try ThrowawayPostgres()
        defer { server.destroy() }
        let store = PostgresTelemetryStore(url: server.url + "?connect_timeout=2", statementTimeout: .seconds(5))
        defer { store.close() }
        try store.checkConnection()
        let writer = TelemetryWriter(store: store, spill: try SpillFile(directory: try temporaryDirectory(self).path),
                                     batchSize: 256, flushInterval: .milliseconds(20), initialBackoff: .milliseconds(20),
                                     maxBackoff: .milliseconds(500), logger: testLogger)
        writer.start()
        let producer = SteadyProducer(writer: writer)
        producer.start()

        _ = waitFor("rows written while the server is up") { writer.stats.written >= 3_000 }
        try server.stop(immediate: true)
        let before = writer.stats
        _ = waitFor("rows spilled and reconnects failing while the server is down") {
            let s = writer.stats
            return s.spilled >= before.spilled + 5_000 && s.writeErrors >= before.writeErrors + 4
        }
        XCTAssertEqual(writer.stats.dropped, 0)
        try server.start()
        _ = waitFor("the backlog replayed", timeout: .seconds(60)) {
            let s = writer.stats
            return s.replayed > 0 && s.spillPendingRows == 0
        }
        let produced = producer.stop()
        _ = waitFor("everything stored", timeout: .seconds(60)) {
            let s = writer.stats
            return s.queued == 0 && s.spillPendingRows == 0 && s.written + s.replayed - s.duplicates >= produced
        }
        XCTAssertTrue(writer.shutdown())

        let stats = writer.stats
        let check = try PostgresConnection(url: server.url)
        let ids = try check.simpleQuery(rawSQL: "SELECT request_id FROM llm_requests").compactMap { $0[0] }
        XCTAssertEqual(ids.count, produced, "one row per request (stats: \(stats))")
        XCTAssertEqual(Set(ids), Set((0..<produced).map { "outage-\($0)" }), "exactly the produced ids")
        let rollupRequests = try check.simpleQuery(rawSQL: "SELECT sum(requests) FROM spend_rollup_hourly")
        XCTAssertEqual(rollupRequests, [[String(produced)]], "rollups count each request once")
        XCTAssertEqual(stats.dropped, 0)
        XCTAssertGreaterThanOrEqual(stats.spilled, 5_000)
        XCTAssertEqual(stats.replayed, stats.spilled)
        print("outage test: produced \(produced), written \(stats.written), spilled \(stats.spilled), replayed \(stats.replayed), duplicates skipped \(stats.duplicates), write errors \(stats.writeErrors)")
    }
}

/// Enqueues rows on its own thread as fast as the writer drains them (keeping at most a few
/// hundred queued): steady load without timers.
final class SteadyProducer: @unchecked Sendable {
    private let writer: TelemetryWriter
    private let lock = NSLock()
    private var running = true
    private var produced = 0
    private let done = DispatchSemaphore(value: 0)

    init(writer: TelemetryWriter) { self.writer = writer }

    func start() {
        Thread { [self] in
            var rng = SplitMix64(seed: 11)
            while lock.withLock({ running }) {
                if writer.stats.queued > 500 { Thread.sleep(forTimeInterval: 0.001); continue }
                let n = lock.withLock { produced }
                for i in n..<n + 50 {
                    var record = randomRecord(&rng, index: i)
                    record.requestID = "outage-\(i)"
                    record.time = Date()
                    writer.enqueue(record)
                }
                lock.withLock { produced += 50 }
            }
            done.signal()
        }.start()
    }

    /// Stops producing and returns how many rows were enqueued.
    func stop() -> Int {
        lock.withLock { running = false }
        done.wait()
        return lock.withLock { produced }
    }
}
