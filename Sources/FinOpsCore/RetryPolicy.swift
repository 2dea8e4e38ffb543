/// Exponential backoff with full jitter, bounded by a total deadline. Pure: the caller supplies
/// the random unit value and the time left.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts per provider (1 = no retry).
    public var maxAttemptsPerProvider = 2
    public var baseDelay = 0.1
    public var maxDelay = 2.0
    /// The whole call, every provider and retry included, must finish within this.
    public var totalDeadline = 60.0
    /// A provider's Retry-After longer than this is not waited for: the chain moves on.
    public var maxRetryAfter = 5.0

    public init() {}

    /// Delay before retry number `retry` (1-based) on the same provider: uniform in
    /// [0, min(maxDelay, base × 2^(retry−1))] ("full jitter"), or the provider's Retry-After
    /// when it gave one. nil means do not retry (the wait would not fit in `remaining`).
    public func delay(retry: Int, retryAfter: Double?, unitRandom: Double, remaining: Double) -> Double? {
        let d: Double
        if let retryAfter {
            guard retryAfter <= maxRetryAfter else { return nil }
            d = retryAfter
        } else {
            let cap = min(maxDelay, baseDelay * Double(1 << min(max(retry - 1, 0), 20)))
            d = cap * min(max(unitRandom, 0), 1)
        }
        return d < remaining ? d : nil
    }
}
