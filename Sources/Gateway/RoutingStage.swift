import FinOpsCore
import Logging
import Synchronization
import Upstream

/// Picks the model for a request: the team's policy, the strategy (named by `router/<strategy>`,
/// the `X-FinOps-Strategy` header, or the team default), the complexity classifier, and the
/// observed latency of each model. Policies reload atomically (SIGHUP, POST /admin/reload).
final class RoutingStage: Sendable {
    struct Route: Sendable {
        var decision: RouteDecision
        /// Deployments of every candidate model, primary first, each at most once.
        var chain: [ModelRoute]
    }

    private let registry: ModelRegistry
    let catalog: PricingCatalog
    private let planner: RoutePlanner
    private let classifier = ComplexityClassifier()
    private let policies: Mutex<TeamPolicies>
    private let stats = Mutex<[String: ModelStats]>([:])
    let policiesDirectory: String?

    init(registry: ModelRegistry, catalog: PricingCatalog, policies: TeamPolicies, policiesDirectory: String?) {
        self.registry = registry
        self.catalog = catalog
        self.planner = RoutePlanner(catalog: catalog, servedModels: registry.servedModels)
        self.policies = Mutex(policies)
        self.policiesDirectory = policiesDirectory
    }

    /// Re-reads the policy directory; on any error the policies in force stay as they were.
    func reload() throws -> [String] {
        guard let dir = policiesDirectory else { return [] }
        let fresh = try PolicyLoader.loadDirectory(dir, catalog: catalog, failoverGroups: registry.groupNames)
        policies.withLock { $0 = fresh }
        return fresh.teams
    }

    func policy(for team: String) -> TeamPolicy { policies.withLock { $0.policy(for: team) } }

    func decide(_ parsed: ParsedChatRequest, team: String, useCase: String, strategyHeader: String?) throws(RouteError) -> Route? {
        // Failover groups and aliases are routed as named.
        if registry.isGroupOrAlias(parsed.model), strategyHeader == nil { return nil }
        let policy = policy(for: team)
        let routed = parsed.model.hasPrefix(RoutingStrategy.modelPrefix) || parsed.model == "router" || strategyHeader != nil
        let input = ClassifierInput(body: parsed.body)
        let score = routed ? classifier.classify(input) : nil
        let request = RouteRequest(
            requestedModel: parsed.model, strategyHeader: strategyHeader, useCase: useCase.isEmpty ? nil : useCase,
            ruleText: Self.latestUserText(parsed.body), score: score,
            estimatedPromptTokens: CostCalculator.estimateTokens(text: parsed.promptText),
            maxOutputTokens: parsed.body["max_completion_tokens"]?.intValue ?? parsed.body["max_tokens"]?.intValue)
        let snapshot = stats.withLock { $0 }
        let decision = try planner.plan(request, policy: policy, stats: snapshot)
        var chain: [ModelRoute] = []
        var seen = Set<String>()
        // The policy's failover group backs the chosen model up: its deployments come after the
        // primary's own, and only members the policy allows at or above the tier floor (for a
        // cascade, the start tier: a cascade never steps down, not even on failover).
        let floor = decision.strategy == .cascade ? (decision.targetTier ?? .small) : policy.minimumTier(forUseCase: request.useCase)
        let group = (decision.failoverGroup.flatMap { registry.chain(for: $0) } ?? []).filter { route in
            guard let price = catalog.price(for: route.model) else { return false }
            return policy.allows(price) && price.tier >= floor
        }
        for model in decision.candidates {
            let deployments = (registry.chain(for: model) ?? []) + (model == decision.primary ? group : [])
            for route in deployments where seen.insert(route.key).inserted { chain.append(route) }
        }
        guard !chain.isEmpty else {
            throw RouteError(.noEligibleModel, "no provider serves the models chosen for this request (\(decision.candidates.joined(separator: ", ")))")
        }
        return Route(decision: decision, chain: chain)
    }

    /// What the same usage would have cost on the baseline model (the policy's, else the chain's first).
    func baselineCost(of usage: TokenUsage, baselineModel: String, fallback: ModelPrice) -> Money {
        CostCalculator.cost(of: usage, at: catalog.price(for: baselineModel) ?? fallback)
    }

    /// Feeds performance-first: latency and errors per model, as an EWMA.
    func observe(model: String, latencyMs: Double, failed: Bool) {
        stats.withLock { $0[model, default: ModelStats()].record(latencyMs: latencyMs, failed: failed) }
    }

    /// Rules match the latest user message: that is what the request is about.
    static func latestUserText(_ body: JSONValue) -> String {
        for message in (body["messages"]?.arrayValue ?? []).reversed() where message["role"]?.stringValue == "user" {
            return AnthropicFormat.plainText(message["content"])
        }
        return ""
    }
}
