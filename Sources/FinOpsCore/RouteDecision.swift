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
        public var reason: String
    }

    /// The model to call first.
    public var primary: String { candidates[0] }
}
