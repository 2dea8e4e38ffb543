import Foundation

/// A bad price file or entry. Names the model (nil for file-level problems) and the field as
/// spelled in the file, so an operator can fix the right line.
public struct PricingError: Error, CustomStringConvertible, Equatable, Sendable {
    public var model: String?
    public var field: String
    public var reason: String

    public init(model: String?, field: String, reason: String) {
        self.model = model; self.field = field; self.reason = reason
    }

    public var description: String {
        let subject = model.map { "model \"\($0)\"" } ?? "price file"
        return "pricing error: \(subject), field \"\(field)\": \(reason)"
    }
}

/// Every model the router can price, keyed by the model name clients send.
///
/// Our catalog file (config/pricing.json, also embedded as `DefaultPricing.json`):
///
///     {"version": 1, "currency": "USD", "unit": "per_1m_tokens", "models": [
///       {"model": "gpt-4o-mini", "provider": "openai", "tier": "small", "input": 0.15,
///        "cached_input": 0.075, "cache_write": 0, "output": 0.6, "context_window": 128000}]}
///
/// Prices are decimal USD per 1M tokens, read as `Decimal` from the JSON text (never via
/// Double) so 0.075 becomes exactly 75_000_000 nanos. Required per model: model, provider,
/// tier, input, output. `cached_input` defaults to `input` (no discount assumed, so a missing
/// value can only over-count), `cache_write` to 0, `context_window` to unknown.
/// Unknown fields are errors: a typo like "ouput" must not silently price a model at 0.
public struct PricingCatalog: Sendable, Equatable {
    public let prices: [String: ModelPrice]

    /// Later entries with the same model name replace earlier ones (`decode` rejects duplicates).
    public init(prices: [ModelPrice]) {
        self.prices = Dictionary(prices.map { ($0.model, $0) }, uniquingKeysWith: { _, later in later })
    }

    /// Model names, sorted.
    public var models: [String] { prices.keys.sorted() }

    /// All prices, sorted by model name.
    public var allPrices: [ModelPrice] { models.compactMap { prices[$0] } }

    /// Price for `model`. Falls back from a dated snapshot name to its alias, because OpenAI
    /// answers a request for "gpt-4o-mini" with `"model": "gpt-4o-mini-2024-07-18"`.
    public func price(for model: String) -> ModelPrice? {
        if let exact = prices[model] { return exact }
        guard let alias = Self.stripDateSuffix(model) else { return nil }
        return prices[alias]
    }

    /// This catalog overlaid with `other` (other wins), e.g. the built-in defaults plus an
    /// operator's price file that adds or overrides a few models.
    public func merging(_ other: PricingCatalog) -> PricingCatalog {
        PricingCatalog(prices: allPrices + other.allPrices)
    }

    /// "gpt-4o-mini-2024-07-18" → "gpt-4o-mini"; nil when there is no "-YYYY-MM-DD" suffix.
    static func stripDateSuffix(_ model: String) -> String? {
        guard let match = model.wholeMatch(of: #/(.+)-[0-9]{4}-[0-9]{2}-[0-9]{2}/#) else { return nil }
        return String(match.output.1)
    }

    // MARK: Our file format
    public static func decode(json: Data) throws -> PricingCatalog {
        let file: RawObject
        do { file = try JSONDecoder().decode(RawObject.self, from: json) } catch {
            throw PricingError(model: nil, field: "(json)", reason: "not a JSON object: \(error)")
        }
        guard file.numbers["version"] == 1 else {
            throw PricingError(model: nil, field: "version", reason: "missing or unsupported (expected 1)")
        }
        if let currency = file.strings["currency"], currency != "USD" {
            throw PricingError(model: nil, field: "currency", reason: "only USD is supported, got \"\(currency)\"")
        }
        if let unit = file.strings["unit"], unit != "per_1m_tokens" {
            throw PricingError(model: nil, field: "unit", reason: "expected \"per_1m_tokens\", got \"\(unit)\"")
        }
        guard let entries = file.models else {
            throw PricingError(model: nil, field: "models", reason: "missing or not an array")
        }
        var seen = Set<String>()
        var result: [ModelPrice] = []
        for (index, entry) in entries.enumerated() {
            let price = try parse(entry, index: index)
            guard seen.insert(price.model).inserted else {
                throw PricingError(model: price.model, field: "model", reason: "duplicate model")
            }
            result.append(price)
        }
        return PricingCatalog(prices: result)
    }

    private static let knownFields: Set<String> = [
        "model", "provider", "tier", "input", "cached_input", "cache_write", "output", "context_window",
    ]

    private static func parse(_ e: RawObject, index: Int) throws -> ModelPrice {
        guard let model = e.strings["model"], !model.isEmpty else {
            throw PricingError(model: "models[\(index)]", field: "model", reason: "missing or empty")
        }
        func fail(_ field: String, _ reason: String) -> PricingError {
            PricingError(model: model, field: field, reason: reason)
        }
        if let field = e.keys.subtracting(knownFields).sorted().first { throw fail(field, "unknown field") }
        if let field = e.invalid.sorted().first { throw fail(field, "wrong type") }
        guard let provider = e.strings["provider"], !provider.isEmpty else { throw fail("provider", "missing or empty") }
        guard let tierName = e.strings["tier"] else { throw fail("tier", "missing") }
        guard let tier = ModelTier(rawValue: tierName) else {
            throw fail("tier", "unknown tier \"\(tierName)\" (expected small, medium or large)")
        }
        func money(_ field: String) throws -> Money? {
            guard let usd = e.numbers[field] else { return nil }
            if usd < 0 { throw fail(field, "negative price \(usd)") }
            guard let nanos = ExactDecimal.nanos(usd: usd) else { throw fail(field, "price \(usd) out of range") }
            return Money(nanos: nanos)
        }
        guard let input = try money("input") else { throw fail("input", "missing") }
        guard let output = try money("output") else { throw fail("output", "missing") }
        var contextWindow: Int?
        if let window = e.numbers["context_window"] {
            guard let value = ExactDecimal.integer(window), value > 0 else {
                throw fail("context_window", "must be a positive integer, got \(window)")
            }
            contextWindow = Int(value)
        }
        return ModelPrice(
            model: model, provider: provider, inputPerMTok: input,
            cachedInputPerMTok: try money("cached_input") ?? input,
            cacheWritePerMTok: try money("cache_write") ?? .zero,
            outputPerMTok: output, tier: tier, contextWindow: contextWindow)
    }

    /// Our file format, pretty-printed with sorted keys (stable diffs), models sorted by name.
    public func encodeJSON() throws -> Data {
        struct Entry: Encodable {
            var model, provider, tier: String
            var input, cached_input, cache_write, output: Decimal
            var context_window: Int?
        }
        struct File: Encodable {
            var version = 1, currency = "USD", unit = "per_1m_tokens"
            var models: [Entry]
        }
        let entries = allPrices.map {
            Entry(model: $0.model, provider: $0.provider, tier: $0.tier.rawValue,
                  input: ExactDecimal.usd(nanos: $0.inputPerMTok.nanos),
                  cached_input: ExactDecimal.usd(nanos: $0.cachedInputPerMTok.nanos),
                  cache_write: ExactDecimal.usd(nanos: $0.cacheWritePerMTok.nanos),
                  output: ExactDecimal.usd(nanos: $0.outputPerMTok.nanos),
                  context_window: $0.contextWindow)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(File(models: entries))
    }
}

/// A JSON object decoded leniently: strings and numbers (as exact `Decimal`) by key, plus the
/// keys whose values had another type, so validation can report the field by name instead of
/// surfacing a `DecodingError` coding path.
struct RawObject: Decodable {
    var isObject = true
    var keys: Set<String> = []
    var strings: [String: String] = [:]
    var numbers: [String: Decimal] = [:]
    var invalid: Set<String> = []
    /// The "models" array of our file format, if present and an array of objects.
    var models: [RawObject]?

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: Decoder) throws {
        guard let container = try? decoder.container(keyedBy: Key.self) else {
            isObject = false
            return
        }
        for key in container.allKeys {
            let name = key.stringValue
            keys.insert(name)
            if let text = try? container.decode(String.self, forKey: key) {
                strings[name] = text
            } else if let number = try? container.decode(Decimal.self, forKey: key) {
                numbers[name] = number
            } else if name == "models", let list = try? container.decode([RawObject].self, forKey: key) {
                models = list
            } else if (try? container.decodeNil(forKey: key)) != true {
                invalid.insert(name)
            }
        }
    }
}
