/// The router's answer: which models to try, in order, and why.
public struct RouteDecision: Sendable, Equatable {
    /// Models to try in order: the first is the primary; the rest are fallbacks (or, for
    /// `cascade`, the steps up, one per tier, in rising tier order).
    public var candidates: [String]
    public var strategy: RoutingStrategy
    /// Telemetry's `route_reason` and the `X-FinOps-Route-Reason` header, e.g.
    /// `auto:complexity=3→tier=small`, `rule:sql-keyword`, `cost-first:cheapest tier≥medium`.
    public var routeReason: String
    /// The model savings are measured against.
    public var baselineModel: String
    /// The tier the strategy aimed for (nil for fixed).
    public var targetTier: ModelTier?
    public var complexity: Int?
    /// The rule that decided, if one matched.
    public var ruleName: String?
    /// The policy's failover group, passed through for the gateway.
    public var failoverGroup: String?
    /// Models left out and why (policy, tier floor, context window, cost cap): `route --explain`.
    public var excluded: [Exclusion] = []

    public struct Exclusion: Sendable, Equatable {
        public var model: String
        public var why: Why

        /// Kept as data and rendered only when shown: most requests never print it.
        public enum Why: Sendable, Equatable, CustomStringConvertible {
            case policy(TeamPolicy.Denial)
            case belowMinimumTier(ModelTier, minimum: ModelTier)
            case contextWindow(promptTokens: Int, window: Int)
            case overCostCap(estimate: Money, cap: Money)
            case ruleTargetNotEligible(rule: String)

            public var description: String {
                switch self {
                case .policy(let denial): denial.description
                case let .belowMinimumTier(tier, minimum): "tier \(tier.rawValue) is below the minimum \(minimum.rawValue)"
                case let .contextWindow(tokens, window): "prompt (~\(tokens) tokens) exceeds its \(window)-token context window"
                case let .overCostCap(estimate, cap): "estimated cost \(estimate) is above the cap \(cap)"
                case .ruleTargetNotEligible(let rule): "rule \(rule) skipped: model not eligible"
                }
            }
        }

        public var reason: String { why.description }
    }

    /// The model to call first.
    public var primary: String { candidates[0] }
}
