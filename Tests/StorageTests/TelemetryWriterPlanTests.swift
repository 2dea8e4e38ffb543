import Foundation
@testable import Storage
import XCTest

final class TelemetryWriterPlanTests: XCTestCase {
    private let now = Date(timeIntervalSince1970: 1_000)

    private func plan(pending: Int = 10, stopping: Bool = false, hasSpill: Bool = true, backlog: Bool = false,
                      storeDown: Bool = false, diskFull: Bool = false, deadlinePassed: Bool = true) -> TelemetryWriterPlan {
        TelemetryWriterPlan(pending: pending, batchSize: 100, highWater: 1_000, stopping: stopping, hasSpill: hasSpill,
                            spillBacklog: backlog, batchDeadline: now.addingTimeInterval(deadlinePassed ? -1 : 0.2),
                            storeRetryAt: storeDown ? now.addingTimeInterval(5) : .distantPast,
                            spillRetryAt: diskFull ? now.addingTimeInterval(3) : .distantPast)
    }

    func testHealthyStoreWritesReadyBatchesAndWaitsForPartialOnes() {
        XCTAssertEqual(plan().next(now: now), .write)
        XCTAssertEqual(plan(deadlinePassed: false).next(now: now), .wait(until: now.addingTimeInterval(0.2)))
        XCTAssertEqual(plan(pending: 100, deadlinePassed: false).next(now: now), .write, "a full batch goes at once")
        XCTAssertEqual(plan(pending: 0).next(now: now), .wait(until: nil))
    }

    func testStoreDownSpillsAndBacklogIsReplayedFirst() {
        XCTAssertEqual(plan(storeDown: true).next(now: now), .spill)
        XCTAssertEqual(plan(backlog: true).next(now: now), .replay, "spilled rows are older than queued ones")
        XCTAssertEqual(plan(pending: 0, backlog: true, storeDown: true).next(now: now), .wait(until: now.addingTimeInterval(5)))
        XCTAssertEqual(plan(backlog: true, storeDown: true).next(now: now), .spill, "new rows queue up behind the backlog")
    }

    func testSlowStoreSpillsPastHighWater() {
        XCTAssertEqual(plan(pending: 1_000).next(now: now), .spill)
        XCTAssertEqual(plan(pending: 1_000, backlog: true).next(now: now), .spill, "keep memory bounded while replaying")
    }

    func testDiskFullKeepsRowsInMemoryOrWritesDirectly() {
        XCTAssertEqual(plan(storeDown: true, diskFull: true).next(now: now), .wait(until: now.addingTimeInterval(3)))
        XCTAssertEqual(plan(pending: 1_000, diskFull: true).next(now: now), .write)
    }

    func testShutdownNeverReplaysAndExitsWhenDrained() {
        XCTAssertEqual(plan(stopping: true, backlog: true).next(now: now), .spill)
        XCTAssertEqual(plan(pending: 0, stopping: true, backlog: true).next(now: now), .exit)
        XCTAssertEqual(plan(stopping: true, deadlinePassed: false).next(now: now), .write, "no waiting for a batch to fill")
        XCTAssertEqual(plan(stopping: true, backlog: true, diskFull: true).next(now: now), .write)
    }

    func testWithoutSpillRowsWaitForTheStore() {
        XCTAssertEqual(plan(hasSpill: false, storeDown: true).next(now: now), .wait(until: now.addingTimeInterval(5)))
        XCTAssertEqual(plan(pending: 5_000, hasSpill: false).next(now: now), .write)
    }
}
