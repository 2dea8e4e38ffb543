/// Which complexity scores go to which tier under the `auto` strategy.
///
/// Complexity is a decile of the dev prompts, so the defaults send the easiest 40% to small
/// models and the hardest 30% to large ones; on the dev data that keeps ~95% of the strong
/// model's quality (docs/routing-quality.md).
public struct AutoTierThresholds: Sendable, Equatable {
    /// Complexity at or below this → small.
    public var smallMax: Int
    /// Complexity at or below this (and above `smallMax`) → medium; above → large.
    public var mediumMax: Int

    public init(smallMax: Int = 4, mediumMax: Int = 7) {
        self.smallMax = smallMax
        self.mediumMax = mediumMax
    }

    public func tier(forComplexity complexity: Int) -> ModelTier {
        complexity <= smallMax ? .small : complexity <= mediumMax ? .medium : .large
    }
}

/// One team's routing policy, from `config/policies/<team>.yaml` (loaded by the gateway's
/// `PolicyLoader`, which validates it against the catalog). Documented defaults make an absent
/// file mean "route freely": `TeamPolicy(team:)` allows every model.
public struct TeamPolicy: Sendable, Equatable {
    public var team: String
    /// Strategy for requests that name no model and no strategy (`model: router`).
    public var defaultStrategy: RoutingStrategy = .auto
    /// nil = every catalog model; otherwise only these.
    public var allowedModels: Set<String>?
    public var blockedModels: Set<String> = []
    /// nil = every provider; otherwise only models of these providers.
    public var allowedProviders: Set<String>?
    public var blockedProviders: Set<String> = []
    /// Minimum tier per use case (`X-FinOps-Use-Case`); `default` covers the rest.
    public var minTier: [String: ModelTier] = [:]
    /// Model that savings are measured against; nil = the cheapest model of the best allowed tier.
    public var baselineModel: String?
    /// Estimated cost above which a model is not chosen (and a fixed request is refused).
    public var maxCostPerRequest: Money?
    /// Name of the failover group the gateway uses when the chosen model's provider fails.
    public var failoverGroup: String?
    /// Checked in order before the strategy; the first match wins.
    public var rules: [RouteRule] = []
    public var autoTiers = AutoTierThresholds()
    /// Output tokens assumed when the client sets no `max_tokens`, for cost estimates.
    public var expectedOutputTokens = 512

    public static let defaultUseCase = "default"

    public init(team: String) { self.team = team }

    /// The tier floor for `useCase` (nil or unknown use case → the `default` entry → small).
    public func minimumTier(forUseCase useCase: String?) -> ModelTier {
        if let useCase, let tier = minTier[useCase] { return tier }
        return minTier[Self.defaultUseCase] ?? .small
    }

    /// Why the policy keeps requests away from a model. An enum, not text, so the hot path
    /// builds no strings; `description` is for explain output and the 403 message.
    public enum Denial: Sendable, Equatable, CustomStringConvertible {
        case blockedModel, modelNotAllowed
        case blockedProvider(String), providerNotAllowed(String)

        public var description: String {
            switch self {
            case .blockedModel: "blocked_models lists it"
            case .modelNotAllowed: "not in allowed_models"
            case .blockedProvider(let p): "provider \(p) is in blocked_providers"
            case .providerNotAllowed(let p): "provider \(p) is not in allowed_providers"
            }
        }
    }

    /// Whether the policy lets requests reach `price.model`, and if not, why.
    public func denial(of price: ModelPrice) -> Denial? {
        if Self.has(blockedModels, price.model) { return .blockedModel }
        if let allowedModels, !Self.has(allowedModels, price.model) { return .modelNotAllowed }
        if Self.has(blockedProviders, price.provider) { return .blockedProvider(price.provider) }
        if let allowedProviders, !Self.has(allowedProviders, price.provider) { return .providerNotAllowed(price.provider) }
        return nil
    }

    /// `set.contains(name)`; small sets (the usual policy lists) are scanned with `==`, which
    /// for short names compares a few words, instead of hashing the name (per model, per request).
    @inline(__always)
    private static func has(_ set: Set<String>, _ name: String) -> Bool {
        if set.isEmpty { return false }
        return set.count <= 4 ? set.contains { $0 == name } : set.contains(name)
    }

    public func allows(_ price: ModelPrice) -> Bool { denial(of: price) == nil }
}
