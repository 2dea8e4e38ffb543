import XCTest
@testable import FinOpsCore

final class SavingsCalculatorTests: XCTestCase {
    let catalog = DefaultPricing.catalog()

    func testSavingsAreBaselineMinusActualExactly() throws {
        let mini = try XCTUnwrap(catalog.price(for: "gpt-4o-mini"))
        let gpt4o = try XCTUnwrap(catalog.price(for: "gpt-4o"))
        // 1,234 in + 567 out. gpt-4o: 1234*2.5 + 567*10 = 3085 + 5670 = 8755 micro-dollars.
        // gpt-4o-mini: 1234*0.15 + 567*0.6 = 185.1 + 340.2 = 525.3 micro-dollars.
        let usage = TokenUsage(inputTokens: 1_234, outputTokens: 567)
        let s = SavingsCalculator.savings(usage: usage, actual: mini, baseline: gpt4o)
        XCTAssertEqual(s.baselineCost.nanos, 8_755_000)
        XCTAssertEqual(s.actualCost.nanos, 525_300)
        XCTAssertEqual(s.saved.nanos, 8_229_700)
        XCTAssertEqual(s.saved.decimalString, "0.0082297")
        XCTAssertEqual(s.baselineModel, "gpt-4o")
    }

    func testCachedTokensUseTheBaselinesOwnCachePrice() throws {
        let usage = TokenUsage(inputTokens: 1_000, cachedInputTokens: 800, outputTokens: 0)
        let s = try XCTUnwrap(SavingsCalculator.savings(usage: usage, actualCost: .zero, baselineModel: "gpt-4o", catalog: catalog))
        // 200 uncached * 2.50 + 800 cached * 1.25 = 500 + 1000 micro-dollars.
        XCTAssertEqual(s.baselineCost.nanos, 1_500_000)
    }

    func testCascadeOverheadLowersSavingsAndCanMakeThemNegative() throws {
        let usage = TokenUsage(inputTokens: 100, outputTokens: 100)
        let s = try XCTUnwrap(SavingsCalculator.savings(usage: usage, actualCost: Money(nanos: 2_000_000),
                                                        baselineModel: "gpt-4o", catalog: catalog))
        // Baseline 100*2.5 + 100*10 = 1250 micro-dollars; paid 2000.
        XCTAssertEqual(s.saved.nanos, -750_000)
        XCTAssertEqual(s.saved.decimalString, "-0.000750")
        XCTAssertNil(SavingsCalculator.savings(usage: usage, actualCost: .zero, baselineModel: "nope", catalog: catalog))
    }

    func testTotalsAreExactOverManyCalls() throws {
        let nano = try XCTUnwrap(catalog.price(for: "gpt-4.1-nano"))
        let gpt41 = try XCTUnwrap(catalog.price(for: "gpt-4.1"))
        // gpt-4.1: 7 * 2,000 + 3 * 8,000 = 38,000 nanos; gpt-4.1-nano: 7 * 100 + 3 * 400 = 1,900 nanos.
        let one = SavingsCalculator.savings(usage: TokenUsage(inputTokens: 7, outputTokens: 3), actual: nano, baseline: gpt41)
        XCTAssertEqual(one.baselineCost.nanos, 38_000)
        XCTAssertEqual(one.actualCost.nanos, 1_900)
        // A million calls add up to exactly $36.10, where summed Doubles would drift.
        let total = SavingsCalculator.total(Array(repeating: one, count: 1_000_000))
        XCTAssertEqual(total.nanos, 36_100_000_000)
        XCTAssertEqual(total.decimalString, "36.100000")
    }
}
