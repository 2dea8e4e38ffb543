import Foundation

/// Coarse capability/cost class of a model, used by routing strategies ("downgrade to the
/// cheapest model of the same tier", "escalate one tier on low confidence").
///
/// Ordered `small < medium < large` so strategies can compare and step tiers without
/// knowing the concrete models.
public enum ModelTier: String, Sendable, Codable, CaseIterable, Comparable {
    case small
    case medium
    case large

    /// Position in the cost ladder; `allCases` order is the ladder.
    public var rank: Int {
        switch self {
        case .small: 0
        case .medium: 1
        case .large: 2
        }
    }

    public static func < (a: ModelTier, b: ModelTier) -> Bool { a.rank < b.rank }

    /// The next tier up, or nil at the top (escalation stops there).
    public var higher: ModelTier? {
        switch self {
        case .small: .medium
        case .medium: .large
        case .large: nil
        }
    }

    /// The next tier down, or nil at the bottom.
    public var lower: ModelTier? {
        switch self {
        case .small: nil
        case .medium: .small
        case .large: .medium
        }
    }
}

/// What one model costs, per 1,000,000 tokens, in exact `Money`.
///
/// Prices are stored per million tokens (the unit providers publish) rather than per token
/// because per-token prices are often fractional nano-dollars (e.g. $0.0375/MTok is 37.5
/// nanos per token), which integer nanos cannot hold. `CostCalculator` does the division
/// once, at the end, with rounding.
///
/// The synthesized `Codable` form (Money as `{"nanos": …}`) is for internal snapshots;
/// the human-edited catalog file uses decimal USD and is handled by `PricingCatalog`.
public struct ModelPrice: Sendable, Codable, Equatable, Hashable {
    /// Model name as clients send it in the request body (e.g. "gpt-4o-mini").
    public var model: String
    /// Our provider id: "openai", "anthropic", "azure", "bedrock", "groq", "simulator", "ollama", …
    public var provider: String
    /// Price of prompt tokens that were neither read from nor written to a prompt cache.
    public var inputPerMTok: Money
    /// Price of prompt tokens served from the provider's prompt cache (OpenAI cached tokens,
    /// Anthropic cache reads). Equal to `inputPerMTok` when the provider gives no discount.
    public var cachedInputPerMTok: Money
    /// Price of prompt tokens written into the cache (Anthropic cache creation, typically
    /// 1.25x input). Zero for providers that do not bill cache writes separately.
    public var cacheWritePerMTok: Money
    /// Price of completion tokens (including reasoning tokens, which providers bill as output).
    public var outputPerMTok: Money
    public var tier: ModelTier
    /// Maximum prompt tokens, when known; used to reject requests that cannot fit.
    public var contextWindow: Int?

    public init(
        model: String,
        provider: String,
        inputPerMTok: Money,
        cachedInputPerMTok: Money,
        cacheWritePerMTok: Money = .zero,
        outputPerMTok: Money,
        tier: ModelTier,
        contextWindow: Int? = nil
    ) {
        self.model = model
        self.provider = provider
        self.inputPerMTok = inputPerMTok
        self.cachedInputPerMTok = cachedInputPerMTok
        self.cacheWritePerMTok = cacheWritePerMTok
        self.outputPerMTok = outputPerMTok
        self.tier = tier
        self.contextWindow = contextWindow
    }

    /// True for local/free models (all four prices zero), e.g. Ollama: routing treats them as
    /// costless but still records token counts.
    public var isFree: Bool {
        inputPerMTok == .zero && cachedInputPerMTok == .zero
            && cacheWritePerMTok == .zero && outputPerMTok == .zero
    }
}

/// Exact conversions between decimal USD (as written in price files) and integer nanos,
/// shared by `PricingCatalog` and `LiteLLMPriceImporter`. Decimal, never Double: 0.075 must be
/// 75_000_000 nanos, not 74_999_999.
enum ExactDecimal {
    /// `usd` dollars as nano-dollars, rounded half up; nil if it does not fit Int64.
    static func nanos(usd: Decimal) -> Int64? {
        integer(usd * Decimal(sign: .plus, exponent: 9, significand: 1), rounding: true)
    }

    /// Nano-dollars as an exact decimal dollar amount (0.075, not 0.07499999…).
    static func usd(nanos: Int64) -> Decimal {
        Decimal(sign: nanos < 0 ? .minus : .plus, exponent: -9, significand: Decimal(nanos.magnitude))
    }

    /// `value` as Int64 if it is integral (or `rounding`) and in range.
    static func integer(_ value: Decimal, rounding: Bool = false) -> Int64? {
        var input = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &input, 0, .plain)
        guard rounding || rounded == value else { return nil }
        return Int64("\(rounded)")
    }
}
