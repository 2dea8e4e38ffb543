import FinOpsCore
import Foundation
import Storage
import XCTest

/// Each `insert` first passes `gate` (closed until `open()`), and signals `entered` so a test
/// knows the writer thread is inside the store.
private final class BlockingStore: MemoryTelemetryStore, @unchecked Sendable {
    let entered = DispatchSemaphore(value: 0)
    private let gate = DispatchSemaphore(value: 0)

    func open() { gate.signal() }

    @discardableResult
    override func insert(_ records: [TelemetryRecord]) throws -> Int {
        entered.signal()
        gate.wait()
        gate.signal()  // once opened, stays open
        return try super.insert(records)
    }
}

/// Fails the first `failures` inserts, then stores in memory.
/// @unchecked Sendable: `remainingFailures` is only touched under `lock`.
private final class FlakyStore: MemoryTelemetryStore, @unchecked Sendable {
    struct Outage: Error {}
    private var remainingFailures: Int

    init(failures: Int) { remainingFailures = failures }

    @discardableResult
    override func insert(_ records: [TelemetryRecord]) throws -> Int {
        try lock.withLock {
            if remainingFailures > 0 {
                remainingFailures -= 1
                throw Outage()
            }
        }
        return try super.insert(records)
    }
}

final class TelemetryWriterTests: XCTestCase {
    func testWritesEveryEnqueuedRowBeforeShutdownReturns() throws {
        let path = try temporaryDirectory(self).appendingPathComponent("telemetry.sqlite").path
        let store = try SQLiteTelemetryStore(path: path)
        let writer = TelemetryWriter(store: store, logger: testLogger)
        writer.start()
        let n = 10_000
        for i in 0..<n { XCTAssertTrue(writer.enqueue(sampleRecord(i))) }
        XCTAssertTrue(writer.shutdown())

        XCTAssertEqual(try store.count(), n)
        let stats = writer.stats
        XCTAssertEqual(stats.enqueued, n)
        XCTAssertEqual(stats.written, n)
        XCTAssertEqual(stats.queued, 0)
        XCTAssertEqual(stats.dropped, 0)
        XCTAssertEqual(stats.writeErrors, 0)
        XCTAssertGreaterThanOrEqual(stats.batches, n / 512)
    }

    func testDropsExactlyTheRowsBeyondCapacityWhileStoreIsBlocked() {
        let store = BlockingStore()
        let writer = TelemetryWriter(store: store, capacity: 10, batchSize: 1, flushInterval: .milliseconds(1),
                                     logger: testLogger)
        writer.start()
        XCTAssertTrue(writer.enqueue(sampleRecord(0)))
        XCTAssertEqual(store.entered.wait(timeout: .now() + 10), .success, "writer never reached the store")

        // The row being written still counts against capacity: 9 more fit, the rest are dropped.
        for i in 1..<10 { XCTAssertTrue(writer.enqueue(sampleRecord(i)), "row \(i)") }
        for i in 10..<15 { XCTAssertFalse(writer.enqueue(sampleRecord(i)), "row \(i)") }
        var stats = writer.stats
        XCTAssertEqual(stats.dropped, 5)
        XCTAssertEqual(stats.enqueued, 10)
        XCTAssertEqual(stats.queued, 10)
        XCTAssertEqual(stats.written, 0)

        store.open()
        XCTAssertTrue(writer.shutdown())
        stats = writer.stats
        XCTAssertEqual(store.records.map(\.requestID), (0..<10).map { "req-\($0)" })
        XCTAssertEqual(stats.written, 10)
        XCTAssertEqual(stats.dropped, 5)
        XCTAssertEqual(stats.queued, 0)
        XCTAssertFalse(writer.enqueue(sampleRecord(99)), "a shut-down writer accepts nothing")
    }

    func testRetriesAfterStoreRecoversWithoutLosingRows() {
        let store = FlakyStore(failures: 3)
        let writer = TelemetryWriter(store: store, batchSize: 64, flushInterval: .milliseconds(5),
                                     initialBackoff: .milliseconds(1), maxBackoff: .milliseconds(4),
                                     logger: testLogger)
        writer.start()
        for i in 0..<1_000 { XCTAssertTrue(writer.enqueue(sampleRecord(i))) }
        XCTAssertTrue(writer.shutdown())

        XCTAssertEqual(store.records.map(\.requestID), (0..<1_000).map { "req-\($0)" })  // all, in order, once
        let stats = writer.stats
        XCTAssertEqual(stats.writeErrors, 3)
        XCTAssertEqual(stats.written, 1_000)
        XCTAssertEqual(stats.dropped, 0)
    }

    func testShutdownWithoutStartStillFlushes() {
        let store = FlakyStore(failures: 0)
        let writer = TelemetryWriter(store: store, logger: testLogger)
        XCTAssertTrue(writer.enqueue(sampleRecord()))
        XCTAssertTrue(writer.shutdown())
        XCTAssertEqual(store.records.count, 1)
    }

    func testShutdownGivesUpAtItsDeadlineWhenStoreStaysDown() {
        let store = FlakyStore(failures: .max)
        let writer = TelemetryWriter(store: store, initialBackoff: .milliseconds(1), maxBackoff: .milliseconds(5),
                                     logger: testLogger)
        writer.start()
        writer.enqueue(sampleRecord())
        XCTAssertFalse(writer.shutdown(timeout: .milliseconds(100)))
        XCTAssertEqual(writer.stats.queued, 1)
        XCTAssertGreaterThan(writer.stats.writeErrors, 0)
    }
}
