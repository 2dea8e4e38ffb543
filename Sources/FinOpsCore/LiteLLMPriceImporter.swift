import Foundation

/// Builds a `PricingCatalog` from LiteLLM's public `model_prices_and_context_window.json`,
/// so operators can refresh prices from a maintained source instead of typing them.
///
/// That file is one object keyed by model name; each entry looks like
///
///     "gpt-4o-mini": {"input_cost_per_token": 1.5e-07, "output_cost_per_token": 6e-07,
///                     "cache_read_input_token_cost": 7.5e-08, "litellm_provider": "openai",
///                     "mode": "chat", "max_input_tokens": 128000, ...}
///
/// Prices there are USD per single token; ours are per 1M tokens in nanos, i.e. a factor of
/// 10^15. The factor is applied to the number's exact decimal text (`Decimal`), never to a
/// Double, so 1.5e-07 becomes exactly 150_000_000 nanos.
///
/// Model names are kept exactly as LiteLLM spells them (e.g. "groq/llama-3.1-8b-instant"):
/// stripping provider prefixes would make "azure/gpt-4o" and "gpt-4o" collide.
public enum LiteLLMPriceImporter {
    /// Imports every chat model (or only those named in `models`).
    ///
    /// Skipped, and listed by name in `skipped` (sorted): the `sample_spec` documentation
    /// entry, entries whose `mode` is not "chat", entries without both input and output
    /// prices (or with negative/out-of-range ones), and names in `models` absent from the file.
    /// Names excluded by the `models` filter are not reported.
    ///
    /// Missing optional prices: `cache_read_input_token_cost` defaults to the input price
    /// (no discount assumed), `cache_creation_input_token_cost` to 0.
    ///
    /// `tierFor` receives the model name and its price with `tier` pre-filled by
    /// `defaultTier`, so a custom rule can override only the models it cares about.
    ///
    /// Throws `PricingError` only when the data is not a JSON object.
    public static func importCatalog(
        json: Data,
        only models: Set<String>? = nil,
        tierFor: (String, ModelPrice) -> ModelTier = defaultTier
    ) throws -> (catalog: PricingCatalog, skipped: [String]) {
        let entries: [String: RawObject]
        do { entries = try JSONDecoder().decode([String: RawObject].self, from: json) } catch {
            throw PricingError(model: nil, field: "(json)", reason: "not a LiteLLM price object: \(error)")
        }
        var prices: [ModelPrice] = []
        var skipped: [String] = []
        for name in entries.keys.sorted() {
            if let models, !models.contains(name) { continue }
            guard name != "sample_spec", let entry = entries[name], var price = price(name, entry) else {
                skipped.append(name)
                continue
            }
            price.tier = defaultTier(name, price)
            price.tier = tierFor(name, price)
            prices.append(price)
        }
        if let models {
            skipped += models.subtracting(entries.keys)
        }
        return (PricingCatalog(prices: prices), skipped.sorted())
    }

    /// Tier by output price per 1M tokens (output dominates cost for chat): under $1 small,
    /// under $5 medium, otherwise large.
    public static func defaultTier(_ model: String, _ price: ModelPrice) -> ModelTier {
        let output = price.outputPerMTok.nanos
        if output < 1_000_000_000 { return .small }
        if output < 5_000_000_000 { return .medium }
        return .large
    }

    /// Our provider id for a LiteLLM `litellm_provider` value. Bedrock's two API flavours
    /// share one adapter; names we have no adapter for pass through unchanged.
    public static func provider(forLiteLLM name: String) -> String {
        switch name {
        case "bedrock", "bedrock_converse": "bedrock"
        default: name
        }
    }

    /// One chat entry as a `ModelPrice` (tier still a placeholder), or nil to skip it.
    private static func price(_ name: String, _ entry: RawObject) -> ModelPrice? {
        guard entry.isObject, entry.strings["mode"] == "chat",
              let input = perMTok(entry.numbers["input_cost_per_token"]),
              let output = perMTok(entry.numbers["output_cost_per_token"])
        else { return nil }
        var cached = input
        if let value = entry.numbers["cache_read_input_token_cost"] {
            guard let money = perMTok(value) else { return nil }
            cached = money
        }
        var cacheWrite = Money.zero
        if let value = entry.numbers["cache_creation_input_token_cost"] {
            guard let money = perMTok(value) else { return nil }
            cacheWrite = money
        }
        var contextWindow: Int?
        if let tokens = entry.numbers["max_input_tokens"].flatMap({ ExactDecimal.integer($0) }), tokens > 0 {
            contextWindow = Int(tokens)
        }
        return ModelPrice(
            model: name,
            provider: provider(forLiteLLM: entry.strings["litellm_provider"] ?? "unknown"),
            inputPerMTok: input, cachedInputPerMTok: cached, cacheWritePerMTok: cacheWrite,
            outputPerMTok: output, tier: .small, contextWindow: contextWindow)
    }

    /// USD per token → Money per 1M tokens: × 10^6 tokens × 10^9 nanos, rounded half up.
    /// Nil for missing, negative or out-of-range values.
    private static func perMTok(_ usdPerToken: Decimal?) -> Money? {
        guard let usdPerToken, usdPerToken >= 0 else { return nil }
        let nanos = ExactDecimal.integer(
            usdPerToken * Decimal(sign: .plus, exponent: 15, significand: 1), rounding: true)
        return nanos.map { Money(nanos: $0) }
    }
}
