/// Counters for `/metrics` and `/readyz`; a snapshot taken under the writer's lock.
public struct TelemetryWriterStats: Sendable, Equatable {
    /// Rows waiting in memory, including the batch being written.
    public var queued: Int = 0
    /// Rows accepted by `enqueue`.
    public var enqueued: Int = 0
    /// Rows committed to the store straight from the queue.
    public var written: Int = 0
    /// Batches committed to the store (direct and replayed).
    public var batches: Int = 0
    /// Rows refused because the queue was full (or the writer was shut down). With a spill
    /// file this stays 0 unless the disk is full.
    public var dropped: Int = 0
    /// Failed store writes (direct or replay); each batch is spilled or retried.
    public var writeErrors: Int = 0
    /// Rows appended to the spill file.
    public var spilled: Int = 0
    /// Rows committed to the store from the spill file.
    public var replayed: Int = 0
    /// Rows the store already had (a replay after a crash, or a retried commit): skipped.
    public var duplicates: Int = 0
    /// Rows in the spill file waiting to be replayed.
    public var spillPendingRows: Int = 0
    /// Corrupt spill records skipped (counted at open and at replay).
    public var spillCorruptRecords: Int = 0
    /// Failed spill appends (disk full, I/O error); the rows stay queued.
    public var spillErrors: Int = 0

    public init() {}
}
