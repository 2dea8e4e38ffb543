import XCTest
@testable import FinOpsCore

/// Every strategy's choice on a fixed catalog (USD per 1M tokens, input/output):
/// local free (small), s-cheap 0.10/0.40, s-pricey 0.80/4 (small), m-cheap 0.59/0.79,
/// m-pricey 2.50/10 (medium, 8k context), l-one 15/75, l-two 10/30 (large), an embedding model.
final class RoutePlannerTests: XCTestCase {
    static func price(_ model: String, _ provider: String, _ tier: ModelTier, _ input: Int64, _ output: Int64,
                      context: Int? = nil) -> ModelPrice {
        ModelPrice(model: model, provider: provider, inputPerMTok: Money(nanos: input * 10_000_000),
                   cachedInputPerMTok: Money(nanos: input * 10_000_000), outputPerMTok: Money(nanos: output * 10_000_000),
                   tier: tier, contextWindow: context)
    }

    /// Prices in cents per 1M tokens.
    static let catalog = PricingCatalog(prices: [
        price("local", "ollama", .small, 0, 0),
        price("s-cheap", "openai", .small, 10, 40),
        price("s-pricey", "anthropic", .small, 80, 400),
        price("m-cheap", "groq", .medium, 59, 79),
        price("m-pricey", "openai", .medium, 250, 1000, context: 8_000),
        price("l-one", "anthropic", .large, 1500, 7500),
        price("l-two", "openai", .large, 1000, 3000),
        price("embed", "openai", .small, 2, 0),
    ])

    let planner = RoutePlanner(catalog: catalog)
    var policy = TeamPolicy(team: "t")

    func plan(_ model: String = "router", header: String? = nil, useCase: String? = nil, text: String = "",
              complexity: Int? = nil, promptTokens: Int = 100, maxTokens: Int? = nil,
              stats: [String: ModelStats] = [:]) throws -> RouteDecision {
        let score = complexity.map { ComplexityScore(complexity: $0, pStrong: 0.5, logit: 0) }
        return try planner.plan(RouteRequest(requestedModel: model, strategyHeader: header, useCase: useCase, ruleText: text,
                                             score: score, estimatedPromptTokens: promptTokens, maxOutputTokens: maxTokens),
                                policy: policy, stats: stats)
    }

    func assertRouteError(_ code: RouteError.Code, _ body: () throws -> RouteDecision, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            XCTAssertEqual((error as? RouteError)?.code, code, "\(error)", file: file, line: line)
        }
    }

    func testEmbeddingModelsAreNeverRouted() {
        XCTAssertFalse(planner.pool.contains { $0.model == "embed" })
        XCTAssertTrue(planner.pool.contains { $0.model == "local" })
    }

    func testCostFirstPicksTheCheapestModelAtOrAboveTheFloor() throws {
        var d = try plan("router/cost-first")
        XCTAssertEqual(d.candidates, ["local", "s-cheap", "m-cheap"])
        XCTAssertEqual(d.routeReason, "cost-first:cheapest tier≥small")
        XCTAssertEqual(d.strategy, .costFirst)

        policy.blockedProviders = ["ollama"]
        policy.minTier = ["code-review": .medium]
        d = try plan("router/cost-first", useCase: "code-review")
        XCTAssertEqual(d.candidates, ["m-cheap", "m-pricey", "l-two"])
        XCTAssertEqual(d.routeReason, "cost-first:cheapest tier≥medium")
        XCTAssertTrue(d.excluded.contains { $0.model == "s-cheap" && $0.reason.contains("below the minimum medium") })
    }

    func testPerformanceFirstTakesTheBestTierThenTheLowestLatency() throws {
        var d = try plan("router/performance-first")
        XCTAssertEqual(d.candidates.prefix(2), ["l-two", "l-one"], "no stats: cheaper first within the tier")
        XCTAssertEqual(d.routeReason, "performance-first:tier=large no latency data")

        let stats = ["l-one": ModelStats(ewmaLatencyMs: 900, samples: 10), "l-two": ModelStats(ewmaLatencyMs: 400, samples: 10)]
        d = try plan("router/performance-first", stats: stats)
        XCTAssertEqual(d.candidates, ["l-two", "l-one", "m-cheap"])
        XCTAssertEqual(d.routeReason, "performance-first:tier=large ewma=400ms")

        // A fast model that keeps failing goes behind a slower healthy one.
        let failing = ["l-one": ModelStats(ewmaLatencyMs: 900, samples: 10),
                       "l-two": ModelStats(ewmaLatencyMs: 100, errorRate: 0.8, samples: 10)]
        XCTAssertEqual(try plan("router/performance-first", stats: failing).candidates.prefix(2), ["l-one", "l-two"])
    }

    func testAutoMapsComplexityToTier() throws {
        policy.blockedProviders = ["ollama"]
        var d = try plan("router/auto", complexity: 3)
        XCTAssertEqual(d.candidates, ["s-cheap", "s-pricey", "m-cheap"])
        XCTAssertEqual(d.routeReason, "auto:complexity=3→tier=small")
        XCTAssertEqual(d.complexity, 3)
        d = try plan("router/auto", complexity: 6)
        XCTAssertEqual(d.candidates, ["m-cheap", "m-pricey", "l-two"])
        XCTAssertEqual(d.routeReason, "auto:complexity=6→tier=medium")
        d = try plan("router/auto", complexity: 9)
        XCTAssertEqual(d.candidates, ["l-two", "l-one", "m-cheap"], "large first, then the best lower tier as a fallback")
        XCTAssertEqual(d.routeReason, "auto:complexity=9→tier=large")

        policy.autoTiers = AutoTierThresholds(smallMax: 2, mediumMax: 9)
        XCTAssertEqual(try plan("router/auto", complexity: 3).targetTier, .medium)
        policy.minTier = ["default": .large]
        XCTAssertEqual(try plan("router/auto", complexity: 1).routeReason, "auto:complexity=1→tier=large")
    }

    func testAutoSaysSoWhenItsTierIsNotAvailable() throws {
        policy.blockedModels = ["l-one", "l-two"]
        let d = try plan("router/auto", complexity: 10)
        XCTAssertEqual(d.primary, "m-cheap")
        XCTAssertEqual(d.routeReason, "auto:complexity=10→tier=large (none eligible; medium)")
        XCTAssertEqual(try plan("router/auto").routeReason, "auto:no-score→tier=small")
    }

    func testCascadeClimbsOneCheapestModelPerTier() throws {
        var d = try plan("router/cascade")
        XCTAssertEqual(d.candidates, ["local", "m-cheap", "l-two"])
        XCTAssertEqual(d.routeReason, "cascade:start tier=small")
        policy.minTier = ["default": .medium]
        d = try plan("router/cascade")
        XCTAssertEqual(d.candidates, ["m-cheap", "l-two"])
        XCTAssertEqual(d.routeReason, "cascade:start tier=medium")
    }

    func testFixedModelIsCheckedAgainstThePolicy() throws {
        let d = try plan("m-pricey", complexity: 2)
        XCTAssertEqual(d.candidates, ["m-pricey"])
        XCTAssertEqual(d.strategy, .fixed)
        XCTAssertEqual(d.routeReason, "fixed:requested")
        XCTAssertEqual(d.baselineModel, "m-pricey", "no policy baseline: a named model saves nothing")
        assertRouteError(.modelNotFound) { try plan("gpt-9") }
        assertRouteError(.modelNotFound) { try plan("embed") }
        policy.allowedProviders = ["openai"]
        assertRouteError(.modelNotAllowed) { try plan("l-one") }
        policy.maxCostPerRequest = Money(usd: 0.001)
        assertRouteError(.overCostCap) { try plan("m-pricey", promptTokens: 1000, maxTokens: 1000) }
        XCTAssertEqual(try plan("s-cheap", promptTokens: 1000, maxTokens: 1000).primary, "s-cheap")
    }

    func testSelectionPrecedence() throws {
        policy.defaultStrategy = .costFirst
        XCTAssertEqual(try plan("router").strategy, .costFirst)
        XCTAssertEqual(try plan("router/default").strategy, .costFirst)
        XCTAssertEqual(try plan("router/cascade", header: "auto").strategy, .cascade, "router/<name> beats the header")
        XCTAssertEqual(try plan("s-cheap", header: "performance-first").strategy, .performanceFirst)
        XCTAssertEqual(try plan("s-cheap", header: "router/auto").strategy, .auto)
        XCTAssertEqual(try plan("s-cheap").strategy, .fixed)
        assertRouteError(.unknownStrategy) { try plan("router/cheapest") }
        assertRouteError(.unknownStrategy) { try plan("router/fixed") }
        assertRouteError(.unknownStrategy) { try plan("s-cheap", header: "fastest") }
    }

    func testContextWindowAndCostCapExcludeModels() throws {
        policy.minTier = ["default": .medium]
        let d = try plan("router/cost-first", promptTokens: 9_000)
        XCTAssertFalse(d.candidates.contains("m-pricey"))
        XCTAssertTrue(d.excluded.contains { $0.model == "m-pricey" && $0.reason.contains("context window") })

        // 10k in + 1k out on l-two = $0.10 + $0.03; l-one = $0.15 + $0.075.
        policy.maxCostPerRequest = Money(usd: 0.2)
        XCTAssertEqual(try plan("router/performance-first", promptTokens: 10_000, maxTokens: 1_000).primary, "l-two")
        policy.maxCostPerRequest = Money(usd: 0.000001)
        assertRouteError(.overCostCap) { try plan("router/cost-first", promptTokens: 10_000, maxTokens: 1_000) }
        policy.allowedModels = []
        assertRouteError(.noEligibleModel) { try plan("router/cost-first") }
    }

    func testBaselineIsThePolicysOrTheCheapestModelOfTheBestAllowedTier() throws {
        XCTAssertEqual(try plan("router/auto").baselineModel, "l-two")
        policy.blockedModels = ["l-one", "l-two"]
        XCTAssertEqual(try plan("router/auto").baselineModel, "m-cheap")
        policy.baselineModel = "l-one"
        XCTAssertEqual(try plan("router/auto").baselineModel, "l-one")
        XCTAssertEqual(try plan("s-cheap").baselineModel, "l-one")
    }

    func testFailoverGroupAndCandidateCapArePassedThrough() throws {
        policy.failoverGroup = "primary"
        let short = RoutePlanner(catalog: Self.catalog, servedModels: ["s-cheap", "m-cheap", "l-two"], maxCandidates: 2)
        let d = try short.plan(RouteRequest(requestedModel: "router/cost-first"), policy: policy)
        XCTAssertEqual(d.candidates, ["s-cheap", "m-cheap"])
        XCTAssertEqual(d.failoverGroup, "primary")
    }
}
