import FinOpsCore
import Upstream

/// One deployment a request can go to: a provider, the model it serves, the price it bills.
public struct ModelRoute: Sendable {
    public var provider: any ChatProvider
    public var model: String
    public var price: ModelPrice
    var key: String { "\(provider.name):\(model)" }
}

/// Resolves a requested model (or alias, or failover group) to an ordered chain of deployments.
/// Without a group, the chain is every provider that lists the model, in config order; a
/// catch-all simulator (no model list) is used only for models no other provider serves, so a
/// real provider's outage is never silently answered by fake completions.
public struct ModelRegistry: Sendable {
    private let explicit: [String: [ModelRoute]]
    private let fallback: [String: [ModelRoute]]
    private let groups: [String: [ModelRoute]]
    private let aliases: [String: String]

    public init(config: RouterConfig, catalog: PricingCatalog, providers: [String: any ChatProvider]) {
        var explicit: [String: [ModelRoute]] = [:]
        var fallback: [String: [ModelRoute]] = [:]
        for p in config.providers {
            guard let provider = providers[p.name] else { continue }
            let catchAll = p.kind == .simulator && p.models.isEmpty
            let models = catchAll ? catalog.models : p.models
            for model in models {
                guard let price = catalog.price(for: model) else { continue }
                let route = ModelRoute(provider: provider, model: model, price: price)
                if catchAll { fallback[model, default: []].append(route) } else { explicit[model, default: []].append(route) }
            }
        }
        var groups: [String: [ModelRoute]] = [:]
        for group in config.failoverGroups {
            let chain = group.chain.compactMap { entry -> ModelRoute? in
                guard let provider = providers[entry.provider], let price = catalog.price(for: entry.model) else { return nil }
                return ModelRoute(provider: provider, model: entry.model, price: price)
            }
            for name in [group.name] + group.models { groups[name] = chain }
        }
        self.explicit = explicit
        self.fallback = fallback
        self.groups = groups
        self.aliases = config.aliases
    }

    /// The deployments to try, primary first; nil for an unknown model.
    public func chain(for requested: String) -> [ModelRoute]? {
        if let group = groups[requested] { return group }
        let model = aliases[requested] ?? requested
        if let group = groups[model] { return group }
        if let routes = explicit[model], !routes.isEmpty { return routes }
        if let routes = fallback[model], !routes.isEmpty, !Self.isEmbeddingModel(model) { return routes }
        return nil
    }

    /// Deployments for an embeddings request: the same rules, limited to providers that embed.
    public func embeddingChain(for requested: String) -> [ModelRoute]? {
        let model = aliases[requested] ?? requested
        let candidates = groups[requested] ?? groups[model] ?? explicit[model] ?? fallback[model]
        let routes = (candidates ?? []).filter { $0.provider is any EmbeddingProvider }
        return routes.isEmpty ? nil : routes
    }

    static func isEmbeddingModel(_ model: String) -> Bool { model.contains("embedding") }

    /// Concrete models some provider serves (no groups or aliases): what routed strategies may pick.
    public var servedModels: Set<String> {
        Set(explicit.keys).union(fallback.keys.filter { !Self.isEmbeddingModel($0) })
    }

    /// Whether the name is a failover group or an alias (routed as named, not planned).
    public func isGroupOrAlias(_ name: String) -> Bool { groups[name] != nil || aliases[name] != nil }

    /// Names a failover group answers to (its own name and its `models`).
    public var groupNames: Set<String> { Set(groups.keys) }

    /// (model id, first provider), sorted by id; failover groups are listed by name.
    public var models: [(id: String, provider: String)] {
        let ids = Set(explicit.keys).union(fallback.keys).union(groups.keys).union(aliases.keys)
        return ids.sorted().compactMap { id in (chain(for: id) ?? embeddingChain(for: id))?.first.map { (id, $0.provider.name) } }
    }
}
