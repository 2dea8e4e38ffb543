import FinOpsCore
import Foundation
import Logging

/// The writer thread: asks `TelemetryWriterPlan` what to do, does it with the lock released
/// (store and spill I/O block), and records the outcome.
extension TelemetryWriter {
    func run() {
        let condition = state.condition
        condition.lock()
        var outage = OutageState(initialBackoff: initialBackoff)
        var spillRetryAt = Date.distantPast
        var batchDeadline: Date?
        while !state.abandoned {
            let now = Date()
            if state.pending == 0 { batchDeadline = nil } else if batchDeadline == nil { batchDeadline = now + flushInterval }
            let plan = TelemetryWriterPlan(
                pending: state.pending, batchSize: batchSize, highWater: highWater, stopping: state.stopping,
                hasSpill: spill != nil, spillBacklog: !(spill?.isEmpty ?? true), batchDeadline: batchDeadline ?? now,
                storeRetryAt: outage.retryAt, spillRetryAt: spillRetryAt)
            switch plan.next(now: now) {
            case .exit:
                state.finished = true
                spill?.close()
                condition.broadcast()
                condition.unlock()
                return
            case .wait(let until):
                if let until { _ = condition.wait(until: until) } else { condition.wait() }
            case .write:
                let batch = state.peek(batchSize)
                condition.unlock()
                let result = Result { try store.insert(batch) }
                condition.lock()
                switch result {
                case .success(let inserted):
                    state.removeFirst(batch.count)
                    state.stats.written += batch.count
                    state.stats.batches += 1
                    state.stats.duplicates += batch.count - inserted
                    batchDeadline = nil
                    outage.succeeded(logger: logger, spillPending: state.stats.spillPendingRows)
                case .failure(let error):
                    state.stats.writeErrors += 1
                    outage.failed(error, logger: logger, maxBackoff: maxBackoff, spillPath: spill?.path, queued: state.pending)
                }
            case .spill:
                guard let spill else { continue }
                let rows = state.peek(batchSize * 64)
                let batches = stride(from: 0, to: rows.count, by: batchSize).map { Array(rows[$0..<min($0 + batchSize, rows.count)]) }
                condition.unlock()
                let result = Result { try spill.append(batches) }
                condition.lock()
                switch result {
                case .success:
                    state.removeFirst(rows.count)
                    state.stats.spilled += rows.count
                    state.stats.spillPendingRows = spill.pendingRows
                    batchDeadline = nil
                    spillRetryAt = .distantPast
                case .failure(let error):
                    state.stats.spillErrors += 1
                    spillRetryAt = Date() + outage.backoff
                    logger.critical("cannot write the telemetry spill file (disk full?): rows wait in memory and are DROPPED once the queue is full",
                                    metadata: ["error": "\(error)", "queued": "\(state.pending)", "file": "\(spill.path)"])
                }
            case .replay:
                guard let spill else { continue }
                condition.unlock()
                let result = Result { () throws -> (rows: Int, inserted: Int)? in
                    guard let batch = try spill.next() else { return nil }
                    let inserted = try store.insert(batch)
                    try spill.removeNext()
                    return (batch.count, inserted)
                }
                condition.lock()
                state.stats.spillPendingRows = spill.pendingRows
                state.stats.spillCorruptRecords = spill.corruptRecords
                switch result {
                case .success(let done?):
                    state.stats.replayed += done.rows
                    state.stats.batches += 1
                    state.stats.duplicates += done.rows - done.inserted
                    outage.succeeded(logger: logger, spillPending: spill.pendingRows)
                    if spill.isEmpty {
                        logger.notice("telemetry spill fully replayed", metadata: ["replayed_total": "\(state.stats.replayed)"])
                    }
                case .success(nil):
                    break
                case .failure(let error):
                    state.stats.writeErrors += 1
                    outage.failed(error, logger: logger, maxBackoff: maxBackoff, spillPath: spill.path, queued: state.pending)
                }
            }
        }
        state.finished = true
        spill?.close()
        condition.broadcast()
        condition.unlock()
    }
}
