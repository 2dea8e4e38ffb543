import XCTest
@testable import FinOpsCore

/// Rules are evaluated before the strategy, in file order, and never override a named model.
final class RouteRuleTests: XCTestCase {
    let planner = RoutePlanner(catalog: RoutePlannerTests.catalog)

    func policy(_ rules: [RouteRule]) -> TeamPolicy {
        var p = TeamPolicy(team: "data")
        p.defaultStrategy = .costFirst
        p.blockedProviders = ["ollama"]
        p.rules = rules
        return p
    }

    func plan(_ text: String, model: String = "router", _ policy: TeamPolicy) throws -> RouteDecision {
        try planner.plan(RouteRequest(requestedModel: model, ruleText: text,
                                      score: ComplexityScore(complexity: 1, pStrong: 0.1, logit: -3)), policy: policy)
    }

    let sql = RouteRule(name: "sql-keyword", match: .keywords(["select", "group by"]), target: .tier(.medium))

    func testKeywordRuleBeatsTheStrategy() throws {
        let d = try plan("Please SELECT the rows", policy([sql]))
        XCTAssertEqual(d.routeReason, "rule:sql-keyword")
        XCTAssertEqual(d.ruleName, "sql-keyword")
        XCTAssertEqual(d.strategy, .costFirst, "the strategy is still recorded")
        XCTAssertEqual(d.candidates, ["m-cheap", "m-pricey", "l-two"])
        XCTAssertEqual(try plan("how do I GROUP  BY?", policy([sql])).routeReason, "cost-first:cheapest tier≥small",
                       "a phrase matches single-spaced words only")
        XCTAssertEqual(try plan("count rows, group by day", policy([sql])).routeReason, "rule:sql-keyword")
    }

    func testKeywordsMatchWholeWordsOnly() {
        XCTAssertTrue(sql.matches("select"))
        XCTAssertTrue(sql.matches("(SELECT)"))
        XCTAssertFalse(sql.matches("the selected rows"))
        XCTAssertFalse(sql.matches("preselect"))
        XCTAssertFalse(sql.matches(""))
    }

    func testFirstMatchingRuleWins() throws {
        let legal = try RouteRule.regex(name: "legal", pattern: "(?i)\\b(contract|liabilit(y|ies))\\b", target: .model("l-one"))
        let rules = [legal, sql]
        XCTAssertEqual(try plan("select clauses from the contract", policy(rules)).routeReason, "rule:legal")
        XCTAssertEqual(try plan("select clauses from the contract", policy(rules)).candidates, ["l-one", "l-two", "m-cheap"])
        XCTAssertEqual(try plan("select clauses from the contract", policy([sql, legal])).routeReason, "rule:sql-keyword")
        XCTAssertEqual(try plan("what is 2+2", policy(rules)).routeReason, "cost-first:cheapest tier≥small")
    }

    func testRulesDoNotOverrideANamedModel() throws {
        let d = try plan("select *", model: "s-pricey", policy([sql]))
        XCTAssertEqual(d.candidates, ["s-pricey"])
        XCTAssertEqual(d.routeReason, "fixed:requested")
    }

    func testRuleTierIsLiftedToTheFloorAndIneligibleModelsAreSkipped() throws {
        var p = policy([RouteRule(name: "chitchat", match: .keywords(["hello"]), target: .tier(.small)),
                        RouteRule(name: "blocked", match: .keywords(["blocked"]), target: .model("l-one"))])
        p.minTier = ["default": .medium]
        p.blockedModels = ["l-one"]
        let d = try plan("hello there", p)
        XCTAssertEqual(d.routeReason, "rule:chitchat")
        XCTAssertEqual(d.primary, "m-cheap")
        XCTAssertEqual(d.targetTier, .medium)
        let skipped = try plan("blocked words", p)
        XCTAssertEqual(skipped.routeReason, "cost-first:cheapest tier≥medium")
        XCTAssertTrue(skipped.excluded.contains { $0.reason.contains("rule blocked skipped") })
    }

    func testRegexRulesCompareByPattern() throws {
        XCTAssertEqual(try RouteRule.regex(name: "a", pattern: "x+", target: .tier(.large)),
                       try RouteRule.regex(name: "a", pattern: "x+", target: .tier(.large)))
        XCTAssertThrowsError(try RouteRule.regex(name: "bad", pattern: "(unclosed", target: .tier(.large)))
    }
}
