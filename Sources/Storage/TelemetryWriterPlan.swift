import Foundation

/// What the telemetry writer thread does next, decided from a snapshot of its state and `now`:
/// a pure function, so the spill/replay policy is tested without threads or clocks.
///
/// Policy: spilled rows are older than queued ones, so a spill backlog is replayed first
/// whenever the store may be tried. Queued rows go to the store directly when it is up and no
/// backlog exists; otherwise (store down, backlog waiting, or the queue past its high-water
/// mark because the store is slow) they go to the spill file, preserving order. Shutdown
/// never replays: it spills what is queued and exits.
struct TelemetryWriterPlan: Equatable {
    enum Action: Equatable {
        case replay
        case spill
        case write
        /// Sleep until signalled (nil) or until the date.
        case wait(until: Date?)
        case exit
    }

    var pending: Int
    var batchSize: Int
    var highWater: Int
    var stopping: Bool
    var hasSpill: Bool
    var spillBacklog: Bool
    /// The partial batch is flushed at this time even if not full.
    var batchDeadline: Date
    /// The store is considered down until then (back-off after a failure).
    var storeRetryAt: Date
    /// Spill appends are suspended until then (after a failed append: disk full).
    var spillRetryAt: Date

    func next(now: Date) -> Action {
        let storeUp = now >= storeRetryAt
        let spillUsable = hasSpill && now >= spillRetryAt
        if spillBacklog && storeUp && !stopping {
            return pending >= highWater && spillUsable ? .spill : .replay
        }
        if pending == 0 {
            if stopping { return .exit }
            return .wait(until: spillBacklog ? storeRetryAt : nil)
        }
        let ready = pending >= batchSize || stopping || now >= batchDeadline
        if !ready {
            return .wait(until: spillBacklog ? min(batchDeadline, storeRetryAt) : batchDeadline)
        }
        if hasSpill && (spillBacklog || !storeUp || pending >= highWater) {
            if spillUsable { return .spill }
            // Disk full but the store is up: keep writing. (With a backlog this is reached only
            // while stopping, where losing order beats losing rows.)
            if storeUp { return .write }
            return .wait(until: min(storeRetryAt, spillRetryAt))
        }
        return storeUp ? .write : .wait(until: storeRetryAt)
    }
}
