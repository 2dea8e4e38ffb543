import FinOpsCore
import Foundation
import Logging

/// A bounded queue in front of a `TelemetryStore`: request paths `enqueue` without blocking, one
/// dedicated thread writes batches. Store calls block in C, so they run on a Foundation `Thread`,
/// never on the Swift cooperative pool.
///
/// With a `SpillFile`, a batch the store cannot take (down, or too slow to keep the queue under
/// its high-water mark) is appended to the spill file instead, and replayed in order when the
/// store is back (`TelemetryWriterPlan`). Rows are then dropped only when the disk is full too.
public final class TelemetryWriter: Sendable {
    let store: any TelemetryStore
    let state: WriterState
    let spill: SpillFile?
    let batchSize: Int
    let highWater: Int
    let flushInterval: TimeInterval
    let initialBackoff: TimeInterval
    let maxBackoff: TimeInterval
    let logger: Logger

    /// - Parameters:
    ///   - spill: where batches go while the store is unavailable; nil keeps them in memory
    ///     (retried with back-off) until the queue is full.
    ///   - capacity: rows held in memory at most, the batch being written included; beyond it rows are dropped.
    ///   - batchSize: rows per transaction (and per spill record) at most.
    ///   - flushInterval: longest time a row waits for its batch to fill.
    ///   - initialBackoff, maxBackoff: retry delays after a failed write, doubling in between.
    public init(store: any TelemetryStore, spill: SpillFile? = nil, capacity: Int = 65_536, batchSize: Int = 512,
                flushInterval: Duration = .milliseconds(200), initialBackoff: Duration = .milliseconds(50),
                maxBackoff: Duration = .seconds(5), logger: Logger) {
        self.store = store
        self.spill = spill
        self.state = WriterState(capacity: max(1, capacity))
        self.batchSize = max(1, batchSize)
        self.highWater = max(self.batchSize, max(1, capacity) / 2)
        self.flushInterval = flushInterval.timeInterval
        self.initialBackoff = initialBackoff.timeInterval
        self.maxBackoff = max(maxBackoff.timeInterval, initialBackoff.timeInterval)
        self.logger = logger
        if let spill {
            state.stats.spillPendingRows = spill.pendingRows
            state.stats.spillCorruptRecords = spill.corruptRecords
            if !spill.isEmpty {
                logger.notice("telemetry spill file has rows from an earlier run; replaying them before new rows",
                              metadata: ["rows": "\(spill.pendingRows)", "file": "\(spill.path)"])
            }
        }
    }

    /// Queues a row without blocking. Returns false (and counts it in `dropped`) when the queue
    /// is full or the writer has been shut down.
    @discardableResult
    public func enqueue(_ record: TelemetryRecord) -> Bool {
        state.condition.lock()
        defer { state.condition.unlock() }
        guard !state.stopping, state.pending < state.capacity else {
            state.stats.dropped += 1
            return false
        }
        state.append(record)
        state.stats.enqueued += 1
        // Wake the writer when it idles on an empty queue, a batch is ready, or it should spill.
        let n = state.pending
        if n == 1 || n == batchSize || n == highWater { state.condition.signal() }
        return true
    }

    /// Starts the writer thread; calling it again does nothing.
    public func start() {
        state.condition.lock()
        defer { state.condition.unlock() }
        guard !state.started else { return }
        state.started = true
        let thread = Thread { [self] in self.run() }
        thread.name = "finops-telemetry-writer"
        thread.start()
    }

    /// Stops accepting rows, writes (or spills) everything queued, and waits up to `timeout` for
    /// the thread to finish. Returns false if rows were still in memory at the deadline (store
    /// down and no spill file, or the disk full).
    @discardableResult
    public func shutdown(timeout: Duration = .seconds(10)) -> Bool {
        start()  // a writer never started still owes its queued rows
        let deadline = Date(timeIntervalSinceNow: timeout.timeInterval)
        state.condition.lock()
        defer { state.condition.unlock() }
        state.stopping = true
        state.condition.broadcast()
        while !state.finished {
            if !state.condition.wait(until: deadline) { break }
        }
        if !state.finished {
            state.abandoned = true  // let the thread exit at its next wake-up instead of retrying forever
            state.condition.broadcast()
            logger.error("telemetry writer shutdown timed out", metadata: ["unwritten": "\(state.pending)"])
            return false
        }
        return true
    }

    public var stats: TelemetryWriterStats {
        state.condition.lock()
        defer { state.condition.unlock() }
        var snapshot = state.stats
        snapshot.queued = state.pending
        return snapshot
    }
}
