/// Generic cell rate algorithm: a rate limit of `limit` units per `period` that allows a burst
/// of the whole period's quota, kept as one number per key, the theoretical arrival time (TAT).
/// Pure: times are milliseconds on the caller's clock. The Redis Lua script is the same math.
public struct GCRA: Sendable, Equatable {
    public var limit: Int
    public var periodMs: Double

    public init(limit: Int, periodMs: Double = 60_000) {
        self.limit = max(1, limit)
        self.periodMs = periodMs
    }

    /// Milliseconds of capacity one unit uses.
    public var emissionMs: Double { periodMs / Double(limit) }

    public struct Decision: Sendable, Equatable {
        public var allowed: Bool
        /// The TAT to store when allowed (unchanged when refused).
        public var newTAT: Double
        /// Units left right after this decision.
        public var remaining: Int
        /// Milliseconds until the limiter is back to full.
        public var resetMs: Double
        /// Milliseconds to wait before the same request would pass (0 when allowed).
        public var retryAfterMs: Double

        public init(allowed: Bool, newTAT: Double, remaining: Int, resetMs: Double, retryAfterMs: Double) {
            self.allowed = allowed
            self.newTAT = newTAT
            self.remaining = remaining
            self.resetMs = resetMs
            self.retryAfterMs = retryAfterMs
        }
    }

    /// Whether `cost` units may pass at `now`, given the stored TAT (nil when none is stored).
    public func check(tat stored: Double?, now: Double, cost: Int) -> Decision {
        let tat = max(stored ?? now, now)
        let newTAT = tat + Double(max(0, cost)) * emissionMs
        let allowAt = newTAT - periodMs
        if Double(cost) * emissionMs > periodMs || now < allowAt {
            let retry = Double(cost) * emissionMs > periodMs ? periodMs : allowAt - now
            return Decision(allowed: false, newTAT: tat, remaining: remaining(tat: tat, now: now),
                            resetMs: tat - now, retryAfterMs: retry)
        }
        return Decision(allowed: true, newTAT: newTAT, remaining: remaining(tat: newTAT, now: now),
                        resetMs: newTAT - now, retryAfterMs: 0)
    }

    private func remaining(tat: Double, now: Double) -> Int {
        max(0, Int(((now + periodMs - tat) / emissionMs).rounded(.down)))
    }
}
