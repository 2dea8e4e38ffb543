import XCTest
@testable import FinOpsCore

final class CostCalculatorTests: XCTestCase {
    /// $0.15 / $0.075 cached / $0.60 per 1M tokens.
    let mini = ModelPrice(
        model: "gpt-4o-mini", provider: "openai", inputPerMTok: Money(nanos: 150_000_000),
        cachedInputPerMTok: Money(nanos: 75_000_000), outputPerMTok: Money(nanos: 600_000_000),
        tier: .small, contextWindow: 128_000)

    /// $3 input, $0.30 cache read, $3.75 cache write, $15 output per 1M tokens.
    let sonnet = ModelPrice(
        model: "claude-sonnet-4-20250514", provider: "anthropic", inputPerMTok: Money(nanos: 3_000_000_000),
        cachedInputPerMTok: Money(nanos: 300_000_000), cacheWritePerMTok: Money(nanos: 3_750_000_000),
        outputPerMTok: Money(nanos: 15_000_000_000), tier: .medium)

    func price(all nanos: Int64) -> ModelPrice {
        ModelPrice(model: "m", provider: "p", inputPerMTok: Money(nanos: nanos), cachedInputPerMTok: Money(nanos: nanos),
                   cacheWritePerMTok: Money(nanos: nanos), outputPerMTok: Money(nanos: nanos), tier: .large)
    }

    func testSmallCallIsExact() {
        // 12 * 150 + 12 * 600 nanos = 1800 + 7200.
        let cost = CostCalculator.cost(of: TokenUsage(inputTokens: 12, outputTokens: 12), at: mini)
        XCTAssertEqual(cost.nanos, 9_000)
        XCTAssertEqual(cost.decimalString, "0.000009")
    }

    func testCachedTokensArePricedAtTheirOwnRate() {
        // 600 uncached * 150 + 400 cached * 75 = 90_000 + 30_000 (nanos).
        let cached = CostCalculator.cost(of: TokenUsage(inputTokens: 1_000, cachedInputTokens: 400), at: mini)
        XCTAssertEqual(cached.nanos, 120_000)
        let uncached = CostCalculator.cost(of: TokenUsage(inputTokens: 1_000), at: mini)
        XCTAssertEqual(uncached.nanos, 150_000)
    }

    func testCacheWritesAndReadsAtAnthropicRates() {
        // uncached 5000*3000 + read 2000*300 + write 3000*3750 + output 500*15000 nanos.
        let usage = TokenUsage(inputTokens: 10_000, cachedInputTokens: 2_000, cacheWriteTokens: 3_000, outputTokens: 500)
        XCTAssertEqual(usage.uncachedInputTokens, 5_000)
        XCTAssertEqual(CostCalculator.cost(of: usage, at: sonnet).nanos, 15_000_000 + 600_000 + 11_250_000 + 7_500_000)
        XCTAssertEqual(
            CostCalculator.cost(inputTokens: 10_000, cachedInputTokens: 2_000, cacheWriteTokens: 3_000,
                                outputTokens: 500, at: sonnet).nanos,
            34_350_000)
    }

    func testUncachedNeverGoesNegative() {
        let overReported = TokenUsage(inputTokens: 100, cachedInputTokens: 150, cacheWriteTokens: 10)
        XCTAssertEqual(overReported.uncachedInputTokens, 0)
        // Only the 150 cached tokens are billed: 150 * 75 nanos.
        XCTAssertEqual(CostCalculator.cost(of: overReported, at: mini).nanos, 11_250)
        XCTAssertEqual(TokenUsage(inputTokens: 100, cachedInputTokens: 60, cacheWriteTokens: 60).uncachedInputTokens, 0)
    }

    func testRoundsHalfUpOnceForTheWholeCall() {
        let halfNano = price(all: 500_000) // 0.5 nanos per token
        XCTAssertEqual(CostCalculator.cost(of: TokenUsage(inputTokens: 1), at: halfNano).nanos, 1)
        XCTAssertEqual(CostCalculator.cost(of: TokenUsage(inputTokens: 3), at: halfNano).nanos, 2) // 1.5 → 2
        // Two halves make one nano, not two: rounding happens after summing.
        XCTAssertEqual(CostCalculator.cost(of: TokenUsage(inputTokens: 1, outputTokens: 1), at: halfNano).nanos, 1)
        let justUnderHalf = price(all: 499_999)
        XCTAssertEqual(CostCalculator.cost(of: TokenUsage(inputTokens: 1), at: justUnderHalf).nanos, 0)
        // $0.0375/MTok is 37.5 nanos per token: 1 token → 38, 2 tokens → 75, 3 tokens → 113 (112.5).
        let fractional = price(all: 37_500_000)
        XCTAssertEqual(CostCalculator.cost(of: TokenUsage(inputTokens: 1), at: fractional).nanos, 38)
        XCTAssertEqual(CostCalculator.cost(of: TokenUsage(inputTokens: 2), at: fractional).nanos, 75)
        XCTAssertEqual(CostCalculator.cost(of: TokenUsage(inputTokens: 3), at: fractional).nanos, 113)
    }

    func testHugeTokenCountsDoNotOverflow() {
        // 10^7 tokens * 10^12 nanos/MTok = 10^19, beyond Int64, in each of the four components.
        let expensive = price(all: 1_000_000_000_000) // $1000 per 1M tokens
        let usage = TokenUsage(inputTokens: 30_000_000, cachedInputTokens: 10_000_000,
                               cacheWriteTokens: 10_000_000, outputTokens: 10_000_000)
        XCTAssertEqual(CostCalculator.cost(of: usage, at: expensive).nanos, 40_000_000_000_000) // $40,000
        // 10^12 tokens at $1000/MTok = $1e9, still representable.
        XCTAssertEqual(CostCalculator.cost(of: TokenUsage(outputTokens: 1_000_000_000_000), at: expensive).nanos,
                       1_000_000_000_000_000_000)
    }

    func testUnrepresentableCostSaturates() {
        let maxed = price(all: Int64.max)
        let usage = TokenUsage(inputTokens: Int.max, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: Int.max)
        XCTAssertEqual(CostCalculator.cost(of: usage, at: maxed).nanos, Int64.max)
        // At $1000/MTok a token costs 10^6 nanos: 9_223_372_036_854 tokens fit, one more does not.
        let thousand = price(all: 1_000_000_000_000)
        XCTAssertEqual(CostCalculator.cost(of: TokenUsage(outputTokens: 9_223_372_036_854), at: thousand).nanos,
                       9_223_372_036_854_000_000)
        XCTAssertEqual(CostCalculator.cost(of: TokenUsage(outputTokens: 9_223_372_036_855), at: thousand).nanos,
                       Int64.max)
    }

    func testNegativeInputsNeverProduceCredit() {
        XCTAssertEqual(CostCalculator.cost(of: TokenUsage(inputTokens: -100, outputTokens: -5), at: mini), .zero)
        XCTAssertEqual(CostCalculator.cost(of: TokenUsage(inputTokens: 1_000, outputTokens: 10), at: price(all: -5)), .zero)
    }

    func testZeroUsageAndFreeModels() {
        XCTAssertEqual(CostCalculator.cost(of: .zero, at: sonnet), .zero)
        let local = price(all: 0)
        XCTAssertTrue(local.isFree)
        XCTAssertFalse(mini.isFree)
        XCTAssertEqual(CostCalculator.cost(of: TokenUsage(inputTokens: 5_000, outputTokens: 5_000), at: local), .zero)
    }

    func testEstimateTokens() {
        XCTAssertEqual(CostCalculator.estimateTokens(text: ""), 0)
        XCTAssertEqual(CostCalculator.estimateTokens(text: "a"), 1)
        XCTAssertEqual(CostCalculator.estimateTokens(text: "abcd"), 1)
        XCTAssertEqual(CostCalculator.estimateTokens(text: "abcde"), 2)
        XCTAssertEqual(CostCalculator.estimateTokens(text: String(repeating: "x", count: 400)), 100)
        XCTAssertEqual(CostCalculator.estimateTokens(text: "🙂"), 1)
        XCTAssertEqual(CostCalculator.estimateTokens(text: "héllo wörld!"), 3) // 12 scalars
    }

    func testEstimateUsageIsFlagged() {
        let usage = CostCalculator.estimateUsage(prompt: "What is the capital of France?", completion: "Paris.")
        XCTAssertEqual(usage, TokenUsage(inputTokens: 8, outputTokens: 2, estimated: true))
    }

    func testTokenUsageAdditionAndTotals() {
        let a = TokenUsage(inputTokens: 10, cachedInputTokens: 4, cacheWriteTokens: 1, outputTokens: 3)
        let b = TokenUsage(inputTokens: 5, outputTokens: 2, estimated: true)
        XCTAssertEqual(a + b, TokenUsage(inputTokens: 15, cachedInputTokens: 4, cacheWriteTokens: 1,
                                         outputTokens: 5, estimated: true))
        XCTAssertEqual(a.totalTokens, 13)
        XCTAssertEqual((TokenUsage(outputTokens: Int.max) + TokenUsage(outputTokens: 1)).outputTokens, Int.max)
        XCTAssertEqual(TokenUsage(inputTokens: Int.max, outputTokens: 1).totalTokens, Int.max)
    }
}
