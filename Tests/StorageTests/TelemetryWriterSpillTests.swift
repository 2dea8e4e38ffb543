import FinOpsCore
import Foundation
import Storage
import XCTest

/// A store that can be switched off: while `down`, every insert fails like a lost connection.
final class SwitchableStore: MemoryTelemetryStore, @unchecked Sendable {
    struct Unavailable: Error, CustomStringConvertible { var description: String { "store unavailable" } }
    private var isDown = false
    /// Records per successful insert call, to check replay order and batch boundaries.
    private(set) var insertCalls = 0

    var down: Bool {
        get { lock.withLock { isDown } }
        set { lock.withLock { isDown = newValue } }
    }

    @discardableResult
    override func insert(_ records: [TelemetryRecord]) throws -> Int {
        try lock.withLock {
            if isDown { throw Unavailable() }
            insertCalls += 1
        }
        return try super.insert(records)
    }
}

final class TelemetryWriterSpillTests: XCTestCase {
    private func makeWriter(_ store: any TelemetryStore, spillDir: String, capacity: Int = 65_536,
                            batchSize: Int = 64) throws -> TelemetryWriter {
        TelemetryWriter(store: store, spill: try SpillFile(directory: spillDir), capacity: capacity,
                        batchSize: batchSize, flushInterval: .milliseconds(5), initialBackoff: .milliseconds(5),
                        maxBackoff: .milliseconds(50), logger: testLogger)
    }

    func testStoreDownRowsAreSpilledThenReplayedExactlyOnceInOrder() throws {
        let store = SwitchableStore()
        store.down = true
        let writer = try makeWriter(store, spillDir: try temporaryDirectory(self).path)
        writer.start()
        for i in 0..<2_000 { XCTAssertTrue(writer.enqueue(sampleRecord(i))) }
        _ = waitFor("every row spilled") { writer.stats.spilled == 2_000 }
        XCTAssertEqual(writer.stats.queued, 0, "nothing waits in memory while the store is down")
        XCTAssertEqual(try store.count(), 0)

        store.down = false
        for i in 2_000..<2_500 { XCTAssertTrue(writer.enqueue(sampleRecord(i))) }
        _ = waitFor("backlog replayed and new rows written") { (try? store.count()) == 2_500 }
        XCTAssertTrue(writer.shutdown())

        XCTAssertEqual(store.records.map(\.requestID), (0..<2_500).map { "req-\($0)" }, "all, once, in order")
        let stats = writer.stats
        XCTAssertGreaterThanOrEqual(stats.spilled, 2_000, "rows arriving during the back-off spill too")
        XCTAssertEqual(stats.replayed, stats.spilled)
        XCTAssertEqual(stats.replayed + stats.written, 2_500)
        XCTAssertEqual(stats.dropped, 0)
        XCTAssertEqual(stats.duplicates, 0)
        XCTAssertEqual(stats.spillPendingRows, 0)
        XCTAssertGreaterThan(stats.writeErrors, 0)
    }

    /// A writer "crashes" with rows in its spill (and a torn record at the end); the next one
    /// replays them before anything new, skips the torn record, and counts it.
    func testExistingSpillIsReplayedFirstAfterACrash() throws {
        let dir = try temporaryDirectory(self).path
        let store = SwitchableStore()
        store.down = true
        let first = try makeWriter(store, spillDir: dir)
        first.start()
        for i in 0..<700 { first.enqueue(sampleRecord(i)) }
        _ = waitFor("rows spilled") { first.stats.spilled == 700 }
        XCTAssertTrue(first.shutdown(timeout: .seconds(5)))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: dir + "/" + SpillFile.defaultName))
        try handle.seekToEnd()
        try handle.write(contentsOf: [0xF5, 0x46, 0x53, 0x31, 0xFF, 0x00])  // crash mid-append
        try handle.close()

        store.down = false
        let second = try makeWriter(store, spillDir: dir)
        XCTAssertEqual(second.stats.spillPendingRows, 700)
        XCTAssertEqual(second.stats.spillCorruptRecords, 1)
        for i in 700..<800 { second.enqueue(sampleRecord(i)) }  // queued before the thread starts
        second.start()
        _ = waitFor("old and new rows stored") { (try? store.count()) == 800 }
        XCTAssertTrue(second.shutdown())
        XCTAssertEqual(store.records.map(\.requestID), (0..<800).map { "req-\($0)" }, "spilled rows first")
        XCTAssertEqual(second.stats.replayed, 700)
        XCTAssertEqual(second.stats.written, 100)
    }

    /// A replay repeated after a crash (the store committed, the spill was not yet truncated)
    /// stores nothing twice.
    func testReplayOfRowsAlreadyStoredCountsDuplicates() throws {
        let dir = try temporaryDirectory(self).path
        let store = SwitchableStore()
        let batch = (0..<50).map { sampleRecord($0) }
        try store.insert(batch)
        let spill = try SpillFile(directory: dir)
        try spill.append([batch])
        spill.close()
        let writer = try makeWriter(store, spillDir: dir)
        writer.start()
        _ = waitFor("replay") { writer.stats.spillPendingRows == 0 }
        XCTAssertTrue(writer.shutdown())
        XCTAssertEqual(try store.count(), 50)
        XCTAssertEqual(writer.stats.duplicates, 50)
    }

    /// The store is up but slow: rows past the high-water mark go to disk instead of piling up
    /// in memory toward the drop limit.
    func testSlowStoreSpillsPastHighWaterAndLosesNothing() throws {
        let store = GatedStore()
        let writer = try makeWriter(store, spillDir: try temporaryDirectory(self).path, capacity: 100, batchSize: 10)
        writer.start()
        writer.enqueue(sampleRecord(0))
        XCTAssertEqual(store.entered.wait(timeout: .now() + 10), .success)
        for i in 1..<80 { XCTAssertTrue(writer.enqueue(sampleRecord(i)), "row \(i)") }
        store.open()
        _ = waitFor("all stored") { (try? store.count()) == 80 }
        XCTAssertTrue(writer.shutdown())
        XCTAssertGreaterThanOrEqual(writer.stats.spilled, 50)
        XCTAssertEqual(writer.stats.dropped, 0)
        XCTAssertEqual(store.records.map(\.requestID), (0..<80).map { "req-\($0)" })
    }

    func testShutdownWithStoreDownSpillsEverythingQuickly() throws {
        let dir = try temporaryDirectory(self).path
        let store = SwitchableStore()
        store.down = true
        let writer = try makeWriter(store, spillDir: dir)
        writer.start()
        for i in 0..<1_000 { writer.enqueue(sampleRecord(i)) }
        XCTAssertTrue(writer.shutdown(timeout: .seconds(10)))
        XCTAssertEqual(writer.stats.spilled, 1_000)
        XCTAssertEqual(try SpillFile(directory: dir).pendingRows, 1_000)
    }

    /// Disk full and store down: the only case where rows are dropped; every row is accounted for.
    func testDiskFullAndStoreDownDropsAndCountsEveryRow() throws {
        let dir = try temporaryDirectory(self).path
        try FileManager.default.createSymbolicLink(atPath: dir + "/" + SpillFile.defaultName, withDestinationPath: "/dev/full")
        let store = SwitchableStore()
        store.down = true
        let writer = try makeWriter(store, spillDir: dir, capacity: 200, batchSize: 10)
        writer.start()
        var accepted = 0
        for i in 0..<1_000 where writer.enqueue(sampleRecord(i)) { accepted += 1 }
        let stats = writer.stats
        XCTAssertEqual(accepted + stats.dropped, 1_000)
        XCTAssertGreaterThanOrEqual(stats.dropped, 800)
        _ = waitFor("a failed spill append") { writer.stats.spillErrors > 0 }
        store.down = false
        _ = waitFor("the accepted rows reach the store") { (try? store.count()) == accepted }
        XCTAssertTrue(writer.shutdown())
        XCTAssertEqual(writer.stats.spilled, 0)
    }
}

/// Holds the first insert at a gate until `open()`.
final class GatedStore: MemoryTelemetryStore, @unchecked Sendable {
    let entered = DispatchSemaphore(value: 0)
    private let gate = DispatchSemaphore(value: 0)

    func open() { gate.signal() }

    @discardableResult
    override func insert(_ records: [TelemetryRecord]) throws -> Int {
        entered.signal()
        gate.wait()
        gate.signal()
        return try super.insert(records)
    }
}
