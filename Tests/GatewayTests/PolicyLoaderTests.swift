import FinOpsCore
import Foundation
import Gateway
import XCTest

final class PolicyLoaderTests: XCTestCase {
    let catalog = DefaultPricing.catalog()

    static let policiesDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("config/policies").path

    private func parse(_ yaml: String) throws -> TeamPolicy {
        try PolicyLoader.parse(yaml: yaml, file: "team.yaml", team: "team", catalog: catalog)
    }

    private func assertError(_ yaml: String, line: Int?, key: String, contains text: String,
                             file: StaticString = #filePath, at: UInt = #line) {
        XCTAssertThrowsError(try parse(yaml), file: file, line: at) { error in
            guard let e = error as? ConfigError else { return XCTFail("\(error)", file: file, line: at) }
            XCTAssertEqual(e.line, line, "\(e)", file: file, line: at)
            XCTAssertEqual(e.key, key, "\(e)", file: file, line: at)
            XCTAssertTrue(e.description.contains(text), "\(e)", file: file, line: at)
        }
    }

    func testExamplePoliciesLoad() throws {
        let policies = try PolicyLoader.loadDirectory(Self.policiesDir, catalog: catalog)
        XCTAssertEqual(policies.teams, ["platform", "research", "support"])
        let platform = policies.policy(for: "platform")
        XCTAssertEqual(platform.defaultStrategy, .costFirst)
        XCTAssertEqual(platform.minimumTier(forUseCase: "code-review"), .medium)
        XCTAssertEqual(platform.minimumTier(forUseCase: "chat"), .small)
        XCTAssertEqual(platform.baselineModel, "gpt-4o")
        XCTAssertEqual(platform.maxCostPerRequest, Money(nanos: 250_000_000))
        XCTAssertNil(platform.failoverGroup, "the shipped policies load under any router config")
        XCTAssertEqual(platform.rules.map(\.name), ["sql-keyword", "schema-migration"])
        XCTAssertEqual(platform.rules[1].target, .model("gpt-4.1"))
        XCTAssertTrue(platform.rules[1].matches("ALTER  TABLE users ADD x"))
        XCTAssertEqual(policies.policy(for: "support").defaultStrategy, .cascade)
        XCTAssertEqual(policies.policy(for: "research").autoTiers, AutoTierThresholds(smallMax: 3, mediumMax: 8))
        XCTAssertEqual(policies.policy(for: "nobody").defaultStrategy, .auto, "no file: permissive auto policy")
        XCTAssertEqual(policies.policy(for: "nobody").team, "nobody")
    }

    func testExamplePoliciesRoute() throws {
        let policies = try PolicyLoader.loadDirectory(Self.policiesDir, catalog: catalog)
        let planner = RoutePlanner(catalog: catalog)
        let sql = try planner.plan(RouteRequest(requestedModel: "router", ruleText: "Write SQL for daily signups"),
                                   policy: policies.policy(for: "platform"))
        XCTAssertEqual(sql.routeReason, "rule:sql-keyword")
        let support = try planner.plan(RouteRequest(requestedModel: "router"), policy: policies.policy(for: "support"))
        XCTAssertEqual(support.candidates, ["gpt-4.1-nano", "o3-mini"], "cascade: cheapest allowed small, then medium; opus is blocked")
    }

    func testEmptyFileIsThePermissiveDefault() throws {
        XCTAssertEqual(try parse(""), TeamPolicy(team: "team"))
    }

    func testUnknownKeysAndValuesAreLocated() {
        assertError("default_strategy: auto\nallowed_modles: [gpt-4o]\n", line: 2, key: "allowed_modles", contains: "team.yaml:2: allowed_modles: unknown key")
        assertError("default_strategy: cheapest\n", line: 1, key: "default_strategy", contains: "unknown strategy 'cheapest'")
        assertError("default_strategy: fixed\n", line: 1, key: "default_strategy", contains: "unknown strategy")
        assertError("allowed_models:\n  - gpt-4o\n  - gpt-17\n", line: 3, key: "allowed_models[1]", contains: "'gpt-17' is not in the pricing catalog")
        assertError("blocked_providers: [openai, acme]\n", line: 1, key: "blocked_providers[1]", contains: "provider 'acme'")
        assertError("min_tier:\n  default: huge\n", line: 2, key: "min_tier.default", contains: "unknown tier 'huge'")
        assertError("baseline_model: gpt-5\n", line: 1, key: "baseline_model", contains: "not in the pricing catalog")
        assertError("max_cost_per_request_usd: 0\n", line: 1, key: "max_cost_per_request_usd", contains: "more than 0")
        assertError("max_cost_per_request_usd: lots\n", line: 1, key: "max_cost_per_request_usd", contains: "expected a number")
        assertError("team: other\n", line: 1, key: "team", contains: "the file name is the team")
        assertError("auto:\n  small_max_complexity: 8\n  medium_max_complexity: 5\n", line: 2, key: "auto", contains: "must not exceed")
    }

    func testRuleErrorsAreLocated() {
        assertError("""
        rules:
          - name: sql
            match: keyword
            pattern: select
            route: gpt-17
        """, line: 5, key: "rules[0].route", contains: "'gpt-17' is not in the pricing catalog")
        assertError("""
        rules:
          - name: bad-regex
            match: regex
            pattern: '(unclosed'
            route: large
        """, line: 4, key: "rules[0].pattern", contains: "does not compile")
        assertError("""
        rules:
          - match: glob
            pattern: x
            route: small
        """, line: 2, key: "rules[0].match", contains: "keyword or match: regex")
        assertError("rules:\n  - {match: keyword, route: small}\n", line: 2, key: "rules[0].pattern", contains: "non-empty pattern")
        assertError("rules:\n  - {match: keyword, pattern: x}\n", line: 2, key: "rules[0].route", contains: "needs a route")
        assertError("rules:\n  - {match: keyword, pattern: x, route: small, tier: 2}\n", line: 2, key: "rules[0].tier", contains: "unknown key")
    }

    func testContradictionsAcrossKeysAreLocated() {
        assertError("allowed_models: [gpt-4o, gpt-4o-mini]\nblocked_models:\n  - gpt-4.1\n  - gpt-4o\n",
                    line: 4, key: "blocked_models", contains: "'gpt-4o' is also in allowed_models")
        assertError("""
        blocked_models: [gpt-4.1]
        rules:
          - {name: a, match: keyword, pattern: x, route: small}
          - {name: b, match: keyword, pattern: y, route: gpt-4.1}
        """, line: 4, key: "rules[1].route", contains: "which this policy blocks")
        assertError("rules:\n  - {name: a, match: keyword, pattern: x, route: small}\n  - {name: a, match: keyword, pattern: y, route: large}\n",
                    line: 3, key: "rules[1].name", contains: "duplicate rule name")
        assertError("allowed_providers: [groq]\nmin_tier:\n  default: small\n  proofs: large\n",
                    line: 4, key: "min_tier.proofs", contains: "no allowed model is large tier")
        assertError("allowed_models: [text-embedding-3-small]\n", line: nil, key: "allowed_models", contains: "no chat model")
    }

    func testUnknownFailoverGroupIsLocatedWhenTheGroupsAreKnown() throws {
        let yaml = "default_strategy: auto\nfailover_group: opnai-primary\n"
        XCTAssertThrowsError(try PolicyLoader.parse(yaml: yaml, file: "ops.yaml", team: "ops", catalog: catalog,
                                                    failoverGroups: ["openai-primary"])) { error in
            XCTAssertEqual("\(error)", "ops.yaml:2: failover_group: no failover group 'opnai-primary' (configured: openai-primary)")
        }
        let ok = try PolicyLoader.parse(yaml: "failover_group: openai-primary\n", file: "ops.yaml", team: "ops", catalog: catalog,
                                        failoverGroups: ["openai-primary"])
        XCTAssertEqual(ok.failoverGroup, "openai-primary")
        XCTAssertThrowsError(try PolicyLoader.parse(yaml: yaml, file: "ops.yaml", team: "ops", catalog: catalog, failoverGroups: [])) {
            XCTAssertTrue("\($0)".contains("none are configured"), "\($0)")
        }
    }

    func testDirectoryErrorsNameTheFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("policies-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "default_strategy: auto\n".write(to: dir.appendingPathComponent("ok.yaml"), atomically: true, encoding: .utf8)
        try "min_tier: {default: gigantic}\n".write(to: dir.appendingPathComponent("bad.yml"), atomically: true, encoding: .utf8)
        try "ignored".write(to: dir.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try PolicyLoader.loadDirectory(dir.path, catalog: catalog)) { error in
            XCTAssertTrue("\(error)".hasSuffix("bad.yml:1: min_tier.default: unknown tier 'gigantic'; expected small, medium or large"), "\(error)")
        }
        XCTAssertEqual(try PolicyLoader.loadDirectory(dir.path + "/missing", catalog: catalog).teams, [])
        try FileManager.default.removeItem(at: dir.appendingPathComponent("bad.yml"))
        try "default_strategy: cascade\n".write(to: dir.appendingPathComponent("ok.yml"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try PolicyLoader.loadDirectory(dir.path, catalog: catalog)) { error in
            XCTAssertTrue("\(error)".contains("a second policy file for team 'ok'"), "\(error)")
        }
    }
}
