/// Picks the models for one request: pure, no I/O, microseconds. The gateway calls
/// `plan` with the request's features, the team's policy and what it has observed of each
/// model; it then calls `decision.candidates` in order.
///
/// Order of work: strategy selection (`RoutingStrategy.select`) → a fixed model is checked
/// against the policy and returned → every other model is filtered (policy, tier floor,
/// context window, cost cap) → the team's rules, first match wins → the strategy orders what
/// is left. Fallbacks never go below the tier floor.
public struct RoutePlanner: Sendable {
    public let catalog: PricingCatalog
    /// Chat models the router may pick from (served by some provider), cheapest first.
    public let pool: [ModelPrice]
    /// Length cap of `RouteDecision.candidates` (the primary plus fallbacks).
    public let maxCandidates: Int

    /// `servedModels`: models some configured provider serves; nil = every chat model in the
    /// catalog (embedding models are never routed to).
    public init(catalog: PricingCatalog, servedModels: Set<String>? = nil, maxCandidates: Int = 3) {
        self.catalog = catalog
        self.pool = catalog.allPrices.filter { price in
            Self.isChatModel(price) && (servedModels?.contains(price.model) ?? true)
        }
        self.maxCandidates = max(1, maxCandidates)
    }

    /// Embedding models bill no output; local models are free and bill nothing at all.
    public static func isChatModel(_ price: ModelPrice) -> Bool {
        !price.model.contains("embedding") && (price.outputPerMTok > .zero || price.isFree)
    }

    public func plan(_ request: RouteRequest, policy: TeamPolicy, stats: [String: ModelStats] = [:]) throws(RouteError) -> RouteDecision {
        let selection = try RoutingStrategy.select(requestedModel: request.requestedModel,
                                                   header: request.strategyHeader, teamDefault: policy.defaultStrategy)
        if let model = selection.fixedModel { return try planFixed(model, request, policy) }
        let floor = policy.minimumTier(forUseCase: request.useCase)
        var decision = RouteDecision(candidates: [], strategy: selection.strategy, routeReason: "",
                                     baselineModel: policy.baselineModel ?? defaultBaseline(policy) ?? "",
                                     targetTier: floor, complexity: request.score?.complexity,
                                     failoverGroup: policy.failoverGroup)
        var eligible = try eligibleModels(request, policy, floor: floor, excluded: &decision.excluded)
        if !policy.rules.isEmpty, !request.ruleText.isEmpty {
            let text = RouteRule.Text(request.ruleText)
            for rule in policy.rules where rule.matches(text) {
                switch rule.target {
                case .tier(let tier):
                    decision.targetTier = max(tier, floor)
                    decision.candidates = towardTier(max(tier, floor), &eligible)
                case .model(let model):
                    guard let chosen = eligible.first(where: { pool[$0.rank].model == model }) else {
                        decision.excluded.append(.init(model: model, why: .ruleTargetNotEligible(rule: rule.name)))
                        continue
                    }
                    decision.targetTier = chosen.tier
                    decision.candidates = [model] + towardTier(chosen.tier, &eligible).filter { $0 != model }
                }
                decision.ruleName = rule.name
                decision.routeReason = "rule:\(rule.name)"
                return finish(decision)
            }
        }
        switch selection.strategy {
        case .costFirst:
            eligible.sort(by: Self.cheaper)  // in place: the array is ours alone, no copy
            decision.candidates = names(eligible)
            decision.routeReason = "cost-first:cheapest tier≥\(floor.rawValue)"
        case .performanceFirst:
            // Look each model's stats up once (only when there are any), not once per comparison.
            let ranked = eligible.map { c -> Observed in
                let s = stats.isEmpty ? nil : stats[pool[c.rank].model]
                return Observed(candidate: c, healthy: s?.isHealthy ?? true, latency: s?.ewmaLatencyMs ?? .infinity)
            }.sorted(by: Self.faster)
            let best = ranked[0]
            decision.targetTier = best.candidate.tier
            decision.candidates = names(ranked.map(\.candidate))
            let latency = best.latency.isFinite ? "ewma=\(Int(best.latency.rounded()))ms" : "no latency data"
            decision.routeReason = "performance-first:tier=\(best.candidate.tier.rawValue) \(latency)"
        case .auto:
            let wanted = request.score.map { policy.autoTiers.tier(forComplexity: $0.complexity) } ?? floor
            let target = max(wanted, floor)
            decision.targetTier = target
            decision.candidates = towardTier(target, &eligible)
            let scored = request.score.map { "complexity=\($0.complexity)" } ?? "no-score"
            decision.routeReason = "auto:\(scored)→tier=\(target.rawValue)"
            if let got = tier(of: decision.candidates[0], in: eligible), got != target {
                decision.routeReason += " (none eligible; \(got.rawValue))"
            }
        case .cascade:
            // One step per tier, cheapest of each, rising: the caller only ever moves forward.
            let steps = ModelTier.allCases.compactMap { tier in eligible.filter { $0.tier == tier }.min(by: Self.cheaper) }
            decision.candidates = names(steps)
            decision.targetTier = steps.first?.tier
            decision.routeReason = "cascade:start tier=\(decision.targetTier?.rawValue ?? floor.rawValue)"
        case .fixed:
            preconditionFailure("fixed selections return above")
        }
        return finish(decision)
    }

    /// A model with its estimated cost for this request. `rank` is the model's position in
    /// `pool` (sorted by name): sorts compare it instead of the name, which keeps ties
    /// deterministic without string comparisons on the hot path, and the struct holds no
    /// reference, so sorting moves plain words (no retain/release per swap).
    struct Candidate {
        var rank: Int
        var cost: Money
        var tier: ModelTier
    }

    /// A candidate with what performance-first sorts by.
    struct Observed {
        var candidate: Candidate
        var healthy: Bool
        var latency: Double
    }

    private func names(_ candidates: [Candidate]) -> [String] {
        var out: [String] = []
        out.reserveCapacity(min(candidates.count, maxCandidates))
        for c in candidates.prefix(maxCandidates) { out.append(pool[c.rank].model) }
        return out
    }

    private func tier(of model: String, in eligible: [Candidate]) -> ModelTier? {
        eligible.first { pool[$0.rank].model == model }?.tier
    }

    private func planFixed(_ model: String, _ request: RouteRequest, _ policy: TeamPolicy) throws(RouteError) -> RouteDecision {
        guard let price = catalog.price(for: model), pool.contains(where: { $0.model == price.model }) else {
            throw RouteError(.modelNotFound, "the model '\(model)' is not available on this router")
        }
        if let denial = policy.denial(of: price) {
            throw RouteError(.modelNotAllowed, "team \(policy.team) may not use '\(price.model)': \(denial)")
        }
        let cost = estimatedCost(price, request, policy)
        if let cap = policy.maxCostPerRequest, cost > cap {
            throw RouteError(.overCostCap, "'\(price.model)' would cost about \(cost) for this request, above team \(policy.team)'s cap of \(cap)")
        }
        return RouteDecision(candidates: [price.model], strategy: .fixed, routeReason: "fixed:requested",
                             baselineModel: policy.baselineModel ?? price.model, targetTier: nil,
                             complexity: request.score?.complexity, failoverGroup: policy.failoverGroup)
    }

    private func eligibleModels(_ request: RouteRequest, _ policy: TeamPolicy, floor: ModelTier,
                                excluded: inout [RouteDecision.Exclusion]) throws(RouteError) -> [Candidate] {
        var eligible: [Candidate] = []
        eligible.reserveCapacity(pool.count)
        var cheapestOverCap: Money?
        // By index: `for price in pool` would copy (retain and release) every ModelPrice.
        for rank in pool.indices {
            let why: RouteDecision.Exclusion.Why
            let cost = estimatedCost(pool[rank], request, policy)
            let price = pool[rank]
            if let denial = policy.denial(of: price) {
                why = .policy(denial)
            } else if price.tier < floor {
                why = .belowMinimumTier(price.tier, minimum: floor)
            } else if let window = price.contextWindow, request.estimatedPromptTokens > window {
                why = .contextWindow(promptTokens: request.estimatedPromptTokens, window: window)
            } else if let cap = policy.maxCostPerRequest, cost > cap {
                why = .overCostCap(estimate: cost, cap: cap)
                cheapestOverCap = min(cheapestOverCap ?? cost, cost)
            } else {
                eligible.append(Candidate(rank: rank, cost: cost, tier: price.tier))
                continue
            }
            if excluded.isEmpty { excluded.reserveCapacity(pool.count - rank) }
            excluded.append(.init(model: price.model, why: why))
        }
        if eligible.isEmpty, let cheapest = cheapestOverCap, let cap = policy.maxCostPerRequest {
            throw RouteError(.overCostCap, "the cheapest allowed model would cost about \(cheapest) for this request, above team \(policy.team)'s cap of \(cap)")
        }
        guard !eligible.isEmpty else {
            throw RouteError(.noEligibleModel, "no model satisfies team \(policy.team)'s policy for this request (minimum tier \(floor.rawValue))")
        }
        return eligible
    }

    /// Cheapest at `tier` first, then the rest of that tier, then higher tiers by cost, then
    /// (only when nothing at or above `tier` is eligible) the lower tiers, best first.
    private func towardTier(_ tier: ModelTier, _ eligible: inout [Candidate]) -> [String] {
        // One sort, in place: at-or-above first (rising tier), then below (falling tier); cost, then name.
        eligible.sort {
            let a = $0.tier >= tier ? $0.tier.rank : 10 - $0.tier.rank, b = $1.tier >= tier ? $1.tier.rank : 10 - $1.tier.rank
            return (a, $0.cost.nanos, $0.rank) < (b, $1.cost.nanos, $1.rank)
        }
        return names(eligible)
    }

    private func finish(_ decision: RouteDecision) -> RouteDecision {
        guard decision.candidates.count > maxCandidates else { return decision }
        var d = decision
        d.candidates = Array(d.candidates.prefix(maxCandidates))
        return d
    }

    /// Estimated cost: the prompt estimate plus `max_tokens` (an upper bound) or the policy's
    /// expected output when the client set none.
    func estimatedCost(_ price: ModelPrice, _ request: RouteRequest, _ policy: TeamPolicy) -> Money {
        CostCalculator.cost(inputTokens: max(0, request.estimatedPromptTokens),
                            outputTokens: max(0, request.maxOutputTokens ?? policy.expectedOutputTokens), at: price)
    }

    /// The cheapest model of the best tier the policy allows: "what this team would pay
    /// without routing", a conservative baseline (not the priciest model).
    func defaultBaseline(_ policy: TeamPolicy) -> String? {
        let allowed = pool.filter(policy.allows)
        guard let top = allowed.map(\.tier).max() else { return nil }
        return allowed.filter { $0.tier == top }.min { ($0.outputPerMTok, $0.inputPerMTok, $0.model) < ($1.outputPerMTok, $1.inputPerMTok, $1.model) }?.model
    }

    /// Cheaper first; equal cost prefers the higher tier, then the name (deterministic).
    static func cheaper(_ a: Candidate, _ b: Candidate) -> Bool {
        (a.cost.nanos, -a.tier.rank, a.rank) < (b.cost.nanos, -b.tier.rank, b.rank)
    }

    /// Best tier, then healthy before failing, then lower EWMA latency (unknown last), then cost.
    static func faster(_ a: Observed, _ b: Observed) -> Bool {
        if a.candidate.tier != b.candidate.tier { return a.candidate.tier > b.candidate.tier }
        if a.healthy != b.healthy { return a.healthy }
        if a.latency != b.latency { return a.latency < b.latency }
        return cheaper(a.candidate, b.candidate)
    }
}
