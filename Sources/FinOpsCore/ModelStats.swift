/// What the gateway has observed about one model lately, as performance-first routing needs it:
/// an exponentially weighted moving average (EWMA) of latency and of the failure rate.
///
/// A value type the caller owns and passes to `RoutePlanner` as `[model: ModelStats]`; the
/// planner only reads it. EWMA rather than a window so an update is O(1) with no history kept,
/// and recent calls dominate (a provider that just slowed down is avoided within a few calls).
public struct ModelStats: Sendable, Equatable {
    /// EWMA of successful calls' latency in milliseconds; nil until the first success.
    public var ewmaLatencyMs: Double?
    /// EWMA of failures (1 per failed call, 0 per success), 0…1.
    public var errorRate: Double
    /// Calls recorded so far (saturating), so callers can ignore stats that are too thin.
    public var samples: Int

    public init(ewmaLatencyMs: Double? = nil, errorRate: Double = 0, samples: Int = 0) {
        self.ewmaLatencyMs = ewmaLatencyMs
        self.errorRate = errorRate
        self.samples = samples
    }

    /// Weight of the newest observation. 0.2 ≈ the last ten calls carry most of the average.
    public static let defaultAlpha = 0.2

    /// Error rate at or above which a model counts as unhealthy and is tried last.
    public static let unhealthyErrorRate = 0.5

    /// Folds in one call. Failed calls update only the error rate: a fast failure must not make
    /// a model look quick. The first observation seeds the average instead of being blended with 0.
    public mutating func record(latencyMs: Double, failed: Bool, alpha: Double = defaultAlpha) {
        let a = min(max(alpha, 0), 1)
        errorRate = samples == 0 ? (failed ? 1 : 0) : errorRate + a * ((failed ? 1 : 0) - errorRate)
        if !failed, latencyMs.isFinite, latencyMs >= 0 {
            ewmaLatencyMs = ewmaLatencyMs.map { $0 + a * (latencyMs - $0) } ?? latencyMs
        }
        samples = samples == Int.max ? samples : samples + 1
    }

    /// A copy with one more call recorded.
    public func recording(latencyMs: Double, failed: Bool, alpha: Double = defaultAlpha) -> ModelStats {
        var copy = self
        copy.record(latencyMs: latencyMs, failed: failed, alpha: alpha)
        return copy
    }

    public var isHealthy: Bool { errorRate < Self.unhealthyErrorRate }
}
