/// Token counts for one call, normalised to a single convention across providers.
///
/// Convention (OpenAI's, because most wire formats we speak are OpenAI-shaped):
///
/// - `inputTokens` is the TOTAL prompt size, as OpenAI reports `usage.prompt_tokens`.
/// - `cachedInputTokens` is the part of `inputTokens` that was served from the prompt cache
///   (OpenAI `usage.prompt_tokens_details.cached_tokens`, Anthropic `cache_read_input_tokens`).
/// - `cacheWriteTokens` is the part of `inputTokens` that was written to the cache
///   (Anthropic `cache_creation_input_tokens`; always 0 for OpenAI).
/// - `outputTokens` is `completion_tokens` (reasoning tokens included: they are billed as output).
///
/// So the uncached, full-price part is `inputTokens - cachedInputTokens - cacheWriteTokens`,
/// never below 0 (`uncachedInputTokens`).
///
/// Adapters for providers that report the parts separately must add them up. Anthropic's
/// `input_tokens` EXCLUDES cache reads and writes, so its adapter sets
/// `inputTokens = input_tokens + cache_read_input_tokens + cache_creation_input_tokens`.
/// Keeping one convention means telemetry's `input_tokens` column always means "prompt size".
public struct TokenUsage: Sendable, Equatable, Hashable {
    /// Total prompt tokens, cached and cache-written parts included.
    public var inputTokens: Int
    /// Prompt tokens read from the provider's cache (subset of `inputTokens`).
    public var cachedInputTokens: Int
    /// Prompt tokens written to the provider's cache (subset of `inputTokens`).
    public var cacheWriteTokens: Int
    /// Completion tokens.
    public var outputTokens: Int
    /// True when the provider returned no usage and counts came from
    /// `CostCalculator.estimateTokens(text:)`; surfaced in telemetry so reports can flag it.
    public var estimated: Bool

    public init(
        inputTokens: Int = 0,
        cachedInputTokens: Int = 0,
        cacheWriteTokens: Int = 0,
        outputTokens: Int = 0,
        estimated: Bool = false
    ) {
        self.inputTokens = inputTokens
        self.cachedInputTokens = cachedInputTokens
        self.cacheWriteTokens = cacheWriteTokens
        self.outputTokens = outputTokens
        self.estimated = estimated
    }

    public static let zero = TokenUsage()

    /// Prompt tokens billed at the full input rate: total minus cache reads and writes,
    /// clamped at 0 so a provider that over-reports cached tokens cannot make cost negative.
    public var uncachedInputTokens: Int {
        let input = max(0, inputTokens)
        let cached = max(0, cachedInputTokens)
        let written = max(0, cacheWriteTokens)
        // Subtract step by step so huge counts cannot overflow the sum of the parts.
        let afterCached = input > cached ? input - cached : 0
        return afterCached > written ? afterCached - written : 0
    }

    /// Prompt plus completion tokens, for token-based budgets and rate limits.
    /// Saturates instead of trapping on absurd counts.
    public var totalTokens: Int {
        let (sum, overflow) = max(0, inputTokens).addingReportingOverflow(max(0, outputTokens))
        return overflow ? Int.max : sum
    }

    /// Adds two usages (e.g. the attempts of a failover chain, or the chunks of a stream
    /// that reports usage incrementally). The result is estimated if either part was.
    public static func + (a: TokenUsage, b: TokenUsage) -> TokenUsage {
        TokenUsage(
            inputTokens: saturatingAdd(a.inputTokens, b.inputTokens),
            cachedInputTokens: saturatingAdd(a.cachedInputTokens, b.cachedInputTokens),
            cacheWriteTokens: saturatingAdd(a.cacheWriteTokens, b.cacheWriteTokens),
            outputTokens: saturatingAdd(a.outputTokens, b.outputTokens),
            estimated: a.estimated || b.estimated
        )
    }

    /// Wrapping would turn a huge count negative (and cost into credit); saturate instead.
    private static func saturatingAdd(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        if !overflow { return sum }
        return b > 0 ? Int.max : Int.min
    }
}
