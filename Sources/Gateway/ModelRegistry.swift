import FinOpsCore
import Upstream

/// Where a model name goes: the provider that serves it and the price it is billed at.
public struct ModelRoute: Sendable {
    public var provider: any ChatProvider
    public var model: String
    public var price: ModelPrice
}

/// Resolves requested model names (or aliases) to a provider. Providers are tried in config
/// order, so a real provider listed before the simulator wins; a simulator with no model list
/// serves every chat model in the catalog.
public struct ModelRegistry: Sendable {
    private let routes: [String: ModelRoute]
    private let aliases: [String: String]

    public init(config: RouterConfig, catalog: PricingCatalog, providers: [String: any ChatProvider]) {
        var routes: [String: ModelRoute] = [:]
        for providerConfig in config.providers {
            guard let provider = providers[providerConfig.name] else { continue }
            let models = providerConfig.models.isEmpty && providerConfig.kind == .simulator
                ? catalog.models.filter { !$0.hasPrefix("text-embedding") }
                : providerConfig.models
            for model in models where routes[model] == nil {
                guard let price = catalog.price(for: model) else { continue }
                routes[model] = ModelRoute(provider: provider, model: model, price: price)
            }
        }
        self.routes = routes
        self.aliases = config.aliases
    }

    public func resolve(_ requested: String) -> ModelRoute? {
        routes[requested] ?? aliases[requested].flatMap { routes[$0] }
    }

    /// (model id, provider name), sorted by model id.
    public var models: [(id: String, provider: String)] {
        routes.keys.sorted().map { ($0, routes[$0]!.provider.name) }
    }
}
