import FinOpsCore
import Foundation
import Logging

/// Counters for `/metrics`; a snapshot taken under the writer's lock.
public struct TelemetryWriterStats: Sendable, Equatable {
    /// Rows waiting, including the batch being written.
    public var queued: Int = 0
    /// Rows accepted by `enqueue`.
    public var enqueued: Int = 0
    /// Rows committed to the store.
    public var written: Int = 0
    /// Batches committed to the store.
    public var batches: Int = 0
    /// Rows refused because the queue was full (or the writer was shut down).
    public var dropped: Int = 0
    /// Failed store writes (each is retried).
    public var writeErrors: Int = 0

    public init() {}
}

/// A bounded queue in front of a `TelemetryStore`: request paths `enqueue` without blocking, one
/// dedicated thread writes batches. Store calls block in C, so they run on a Foundation `Thread`,
/// never on the Swift cooperative pool.
public final class TelemetryWriter: Sendable {
    private let store: any TelemetryStore
    private let state: WriterState
    private let batchSize: Int
    private let flushInterval: TimeInterval
    private let initialBackoff: TimeInterval
    private let maxBackoff: TimeInterval
    private let logger: Logger

    /// - Parameters:
    ///   - capacity: rows held at most, the batch being written included; beyond it rows are dropped.
    ///   - batchSize: rows per transaction at most.
    ///   - flushInterval: longest time a row waits for its batch to fill.
    ///   - initialBackoff, maxBackoff: retry delays after a failed write, doubling in between.
    public init(store: any TelemetryStore, capacity: Int = 65_536, batchSize: Int = 512,
                flushInterval: Duration = .milliseconds(200), initialBackoff: Duration = .milliseconds(50),
                maxBackoff: Duration = .seconds(5), logger: Logger) {
        self.store = store
        self.state = WriterState(capacity: max(1, capacity))
        self.batchSize = max(1, batchSize)
        self.flushInterval = flushInterval.timeInterval
        self.initialBackoff = initialBackoff.timeInterval
        self.maxBackoff = max(maxBackoff.timeInterval, initialBackoff.timeInterval)
        self.logger = logger
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
        // Wake the writer when it idles on an empty queue or a batch is ready.
        if state.pending == 1 || state.pending >= batchSize { state.condition.signal() }
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

    /// Stops accepting rows, writes everything queued, and waits up to `timeout` for the thread
    /// to finish. Returns false if rows were still unwritten at the deadline (e.g. store down).
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

    // MARK: Writer thread

    private func run() {
        let condition = state.condition
        condition.lock()
        var backoff = initialBackoff
        var failuresInOutage = 0
        while !state.abandoned {
            // Idle until there is a row (or shutdown).
            while state.pending == 0 && !state.stopping { condition.wait() }
            if state.pending == 0 { break }  // stopping and drained
            // Give the batch up to flushInterval to fill, unless shutting down.
            let flushAt = Date(timeIntervalSinceNow: flushInterval)
            while state.pending < batchSize && !state.stopping && condition.wait(until: flushAt) {}

            // Rows stay in the queue (and count against capacity) until the store has them.
            let batch = state.peek(batchSize)
            condition.unlock()
            var failure: (any Error)?
            do { try store.insert(batch) } catch { failure = error }
            condition.lock()

            if let failure {
                state.stats.writeErrors += 1
                failuresInOutage += 1
                if failuresInOutage == 1 {
                    logger.error("telemetry write failed; retrying with backoff",
                                 metadata: ["error": "\(failure)", "queued": "\(state.pending)"])
                }
                let retryAt = Date(timeIntervalSinceNow: backoff)
                backoff = min(backoff * 2, maxBackoff)
                while !state.abandoned && condition.wait(until: retryAt) {}
            } else {
                state.removeFirst(batch.count)
                state.stats.written += batch.count
                state.stats.batches += 1
                if failuresInOutage > 0 {
                    logger.notice("telemetry writes recovered", metadata: ["failedAttempts": "\(failuresInOutage)"])
                    failuresInOutage = 0
                    backoff = initialBackoff
                }
            }
        }
        state.finished = true
        condition.broadcast()
        condition.unlock()
    }
}

/// The writer's mutable state. @unchecked Sendable: every field is read and written only while
/// holding `condition` (an NSCondition, which is its own lock).
private final class WriterState: @unchecked Sendable {
    let condition = NSCondition()
    let capacity: Int
    var stats = TelemetryWriterStats()
    var started = false
    var stopping = false
    var abandoned = false
    var finished = false
    // FIFO as an array plus a head index, compacted when the consumed prefix grows large.
    private var items: [TelemetryRecord] = []
    private var head = 0

    init(capacity: Int) { self.capacity = capacity }

    var pending: Int { items.count - head }

    func append(_ record: TelemetryRecord) { items.append(record) }

    func peek(_ n: Int) -> [TelemetryRecord] { Array(items[head..<head + min(n, pending)]) }

    func removeFirst(_ n: Int) {
        head += n
        if head == items.count {
            items.removeAll(keepingCapacity: items.count <= 4_096)  // do not pin a burst's memory
            head = 0
        } else if head >= 4_096 && head * 2 >= items.count {
            items.removeFirst(head)
            head = 0
        }
    }
}

extension Duration {
    fileprivate var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
