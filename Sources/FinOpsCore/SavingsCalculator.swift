/// What routing saved on one call: the same tokens priced at the baseline model, minus what
/// was actually paid. Exact `Money` throughout; negative when routing cost more (a client that
/// named a pricier model, or a cascade that paid for several attempts).
public struct Savings: Sendable, Equatable {
    public var baselineModel: String
    /// The answer's usage at the baseline model's prices (`llm_requests.baseline_cost_usd`).
    public var baselineCost: Money
    /// What the call cost, every attempt included.
    public var actualCost: Money

    public init(baselineModel: String, baselineCost: Money, actualCost: Money) {
        self.baselineModel = baselineModel
        self.baselineCost = baselineCost
        self.actualCost = actualCost
    }

    /// baseline − actual (the `X-FinOps-Savings-USD` header).
    public var saved: Money { baselineCost - actualCost }
}

/// Savings attribution, the number the dashboard's "saved by routing" adds up.
///
/// Baseline = the usage of the answer the client received, at the baseline model's prices
/// (cached and cache-write tokens at the baseline's own cache prices). Attempts that failed or
/// were stepped past are not in the baseline (the baseline model would have answered once)
/// but are in the actual cost, so a cascade's overhead shows up as lower savings.
public enum SavingsCalculator {
    /// Cost of `usage` had it run on `baseline`.
    public static func baselineCost(of usage: TokenUsage, baseline: ModelPrice) -> Money {
        CostCalculator.cost(of: usage, at: baseline)
    }

    /// Savings for a call whose final answer used `usage` and whose attempts cost `actualCost`
    /// in total. Nil when the baseline model has no price (then no savings are claimed).
    public static func savings(usage: TokenUsage, actualCost: Money, baselineModel: String,
                               catalog: PricingCatalog) -> Savings? {
        guard let baseline = catalog.price(for: baselineModel) else { return nil }
        return Savings(baselineModel: baselineModel, baselineCost: baselineCost(of: usage, baseline: baseline),
                       actualCost: actualCost)
    }

    /// Savings for a single attempt on `actual` with `usage`.
    public static func savings(usage: TokenUsage, actual: ModelPrice, baseline: ModelPrice) -> Savings {
        Savings(baselineModel: baseline.model, baselineCost: baselineCost(of: usage, baseline: baseline),
                actualCost: CostCalculator.cost(of: usage, at: actual))
    }

    /// Total saved over many calls, summed exactly (never through Double).
    public static func total(_ all: [Savings]) -> Money {
        all.reduce(Money.zero) { $0 + $1.saved }
    }
}
