/// Turns token counts into exact `Money`, and estimates token counts when a provider
/// returns none.
///
/// Integer math only: the cost of a call is
///
///     (uncached * input + cached * cachedInput + cacheWrite * cacheWrite + output * output)
///         / 1_000_000            (prices are nano-dollars per 1M tokens)
///
/// summed in 128 bits and divided ONCE, rounding half up. Dividing once (rather than per
/// component) means a call's cost does not depend on how its tokens were split.
///
/// Overflow: every product is at most (2^63-1)^2 < 2^126, so the sum of four fits in an
/// unsigned 128-bit accumulator; only the final quotient can exceed Int64 (costs above
/// ~$9.2 billion), and it saturates at `Int64.max` instead of trapping.
public enum CostCalculator {
    /// Nano-dollar cost of `usage` at `price`, rounded half up to the nearest nano-dollar.
    ///
    /// Negative token counts and negative prices count as zero: loaders reject negative
    /// prices, and a bad adapter must never turn spend into credit.
    public static func cost(of usage: TokenUsage, at price: ModelPrice) -> Money {
        var sum = UInt128Accumulator()
        sum.add(tokens: usage.uncachedInputTokens, timesNanosPerMTok: price.inputPerMTok.nanos)
        sum.add(tokens: usage.cachedInputTokens, timesNanosPerMTok: price.cachedInputPerMTok.nanos)
        sum.add(tokens: usage.cacheWriteTokens, timesNanosPerMTok: price.cacheWritePerMTok.nanos)
        sum.add(tokens: usage.outputTokens, timesNanosPerMTok: price.outputPerMTok.nanos)
        return Money(nanos: sum.dividedByMillionRoundingHalfUp())
    }

    /// Cost of a hypothetical call, e.g. the baseline model's cost for the same tokens
    /// ("what would this have cost on gpt-4o?"), or a pre-flight budget check.
    public static func cost(
        inputTokens: Int, cachedInputTokens: Int = 0, cacheWriteTokens: Int = 0,
        outputTokens: Int, at price: ModelPrice
    ) -> Money {
        cost(
            of: TokenUsage(
                inputTokens: inputTokens, cachedInputTokens: cachedInputTokens,
                cacheWriteTokens: cacheWriteTokens, outputTokens: outputTokens),
            at: price)
    }

    /// Rough token count for `text`, used only when a provider returns no usage
    /// (the record is then flagged `estimated`).
    ///
    /// Heuristic: one token per 4 Unicode scalars, rounded up, and at least 1 for any
    /// non-empty text (0 for empty). That is OpenAI's published rule of thumb for English
    /// with BPE tokenizers (~4 characters per token); it under-counts CJK and code-heavy text,
    /// which is acceptable for a flagged estimate and avoids shipping a tokenizer.
    public static func estimateTokens(text: String) -> Int {
        // Unicode scalars = UTF-8 bytes that are not continuation bytes (10xxxxxx); counted on
        // the bytes because `unicodeScalars.count` walks the string scalar by scalar.
        let scalars = text.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.count - (bytes.baseAddress.map { PromptScan.byteCounts($0, bytes.count).continuation } ?? 0)
        } ?? text.unicodeScalars.count
        if scalars == 0 { return 0 }
        return max(1, (scalars + 3) / 4)
    }

    /// Estimated usage for a call whose provider reported nothing: prompt and completion
    /// text are estimated separately, nothing is assumed cached.
    public static func estimateUsage(prompt: String, completion: String) -> TokenUsage {
        TokenUsage(
            inputTokens: estimateTokens(text: prompt),
            outputTokens: estimateTokens(text: completion),
            estimated: true)
    }
}

/// Minimal unsigned 128-bit accumulator (the stdlib's `UInt128` needs macOS 15, the package
/// targets macOS 14), built from `multipliedFullWidth` and `dividingFullWidth`.
struct UInt128Accumulator {
    private(set) var high: UInt64 = 0
    private(set) var low: UInt64 = 0

    /// Adds tokens * price; negatives count as zero (see `CostCalculator.cost`).
    mutating func add(tokens: Int, timesNanosPerMTok nanos: Int64) {
        guard tokens > 0, nanos > 0 else { return }
        let product = UInt64(tokens).multipliedFullWidth(by: UInt64(nanos))
        add(high: product.high, low: product.low)
    }

    private mutating func add(high addHigh: UInt64, low addLow: UInt64) {
        let (newLow, carry) = low.addingReportingOverflow(addLow)
        low = newLow
        // Cannot overflow: four products < 2^126 each, plus the rounding term, is < 2^128.
        high = high &+ addHigh &+ (carry ? 1 : 0)
    }

    /// (value + 500_000) / 1_000_000, i.e. division by 10^6 rounding half up,
    /// saturated to `Int64.max`.
    mutating func dividedByMillionRoundingHalfUp() -> Int64 {
        let divisor: UInt64 = 1_000_000
        add(high: 0, low: divisor / 2)
        // dividingFullWidth traps when the quotient needs more than 64 bits (high >= divisor).
        guard high < divisor else { return Int64.max }
        let quotient = divisor.dividingFullWidth((high: high, low: low)).quotient
        return quotient > UInt64(Int64.max) ? Int64.max : Int64(quotient)
    }
}
