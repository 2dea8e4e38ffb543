/// The measures every spend rollup keeps for its key: counts, tokens, exact money, latency.
///
/// Adding is exact and order-independent for everything but `latencyMsSum` (a Double: latency is
/// not money), so a rollup built from batches in any order equals the sum over its raw rows.
/// `latency` buckets the same latencies, so percentiles can be read from rollups.
public struct SpendTotals: Sendable, Equatable, Codable {
    public var requests: Int = 0
    /// Calls that ended in `RequestStatus.error`.
    public var errors: Int = 0
    /// Calls answered by a fallback provider (`RequestStatus.failover`).
    public var failovers: Int = 0
    public var cacheHits: Int = 0
    public var inputTokens: Int = 0
    public var cachedInputTokens: Int = 0
    public var outputTokens: Int = 0
    public var cost: Money = .zero
    /// What the same tokens would have cost on the baseline model.
    public var baselineCost: Money = .zero
    public var latencyMsSum: Double = 0
    public var latency = LatencyHistogram()

    public init() {}

    public init(requests: Int, errors: Int = 0, failovers: Int = 0, cacheHits: Int = 0, inputTokens: Int = 0,
                cachedInputTokens: Int = 0, outputTokens: Int = 0, cost: Money = .zero,
                baselineCost: Money = .zero, latencyMsSum: Double = 0, latency: LatencyHistogram = LatencyHistogram()) {
        self.requests = requests; self.errors = errors; self.failovers = failovers; self.cacheHits = cacheHits
        self.inputTokens = inputTokens; self.cachedInputTokens = cachedInputTokens
        self.outputTokens = outputTokens; self.cost = cost; self.baselineCost = baselineCost
        self.latencyMsSum = latencyMsSum
        self.latency = latency
    }

    /// The contribution of one call (a non-finite latency counts as 0, as the stores keep it).
    public init(record r: TelemetryRecord) {
        self.init(requests: 1, errors: r.status == .error ? 1 : 0, failovers: r.status == .failover ? 1 : 0,
                  cacheHits: r.status == .cacheHit ? 1 : 0, inputTokens: r.inputTokens,
                  cachedInputTokens: r.cachedInputTokens, outputTokens: r.outputTokens, cost: r.cost,
                  baselineCost: r.baselineCost, latencyMsSum: r.latencyMs.isFinite ? r.latencyMs : 0)
        latency.record(ms: r.latencyMs)
    }

    public mutating func add(_ o: SpendTotals) {
        requests += o.requests; errors += o.errors; failovers += o.failovers; cacheHits += o.cacheHits
        inputTokens += o.inputTokens; cachedInputTokens += o.cachedInputTokens; outputTokens += o.outputTokens
        cost += o.cost; baselineCost += o.baselineCost; latencyMsSum += o.latencyMsSum
        latency.add(o.latency)
    }

    public static func + (a: SpendTotals, b: SpendTotals) -> SpendTotals {
        var sum = a
        sum.add(b)
        return sum
    }

    /// Baseline minus actual cost; negative when the router chose a dearer model than the baseline.
    public var savings: Money { baselineCost - cost }
    public var totalTokens: Int { inputTokens + outputTokens }
    public var averageLatencyMs: Double { requests == 0 ? 0 : latencyMsSum / Double(requests) }

    /// True when every exact field matches and the latency sums agree to `latencyTolerance` ms
    /// (Double sums depend on the order they were added in).
    public func matches(_ o: SpendTotals, latencyTolerance: Double = 1e-6) -> Bool {
        var a = self, b = o
        a.latencyMsSum = 0; b.latencyMsSum = 0
        let scale = max(1, abs(latencyMsSum), abs(o.latencyMsSum))
        return a == b && abs(latencyMsSum - o.latencyMsSum) <= latencyTolerance * scale
    }
}
