import FinOpsCore
import Gateway
import XCTest

/// The spend-control config sections: every key read, defaults inherited, errors located.
final class SpendConfigTests: XCTestCase {
    let catalog = DefaultPricing.catalog()

    private func parse(_ yaml: String) throws -> RouterConfig {
        try ConfigLoader.parse(yaml: yaml, file: "spend.yaml", environment: [:], catalog: catalog)
    }

    private func assertError(_ yaml: String, key: String, contains text: String, line: Int? = nil, at: UInt = #line) {
        XCTAssertThrowsError(try parse(yaml), line: at) { error in
            guard let e = error as? ConfigError else { return XCTFail("\(error)", line: at) }
            XCTAssertEqual(e.key, key, "\(e)", line: at)
            if let line { XCTAssertEqual(e.line, line, "\(e)", line: at) }
            XCTAssertTrue(e.description.contains(text), "\(e)", line: at)
        }
    }

    func testEverySpendSectionParses() throws {
        let c = try parse("""
        state: {redis_url: "redis://10.0.0.7:6380/1", timeout_ms: 40, pool_size: 8, on_failure: closed}
        auth: {mode: keys, key_cache_seconds: 2}
        budgets:
          default_output_tokens: 512
          limits:
            - {scope: org, subject: acme, period: monthly, limit_usd: 5000, thresholds: [80, 50, 100]}
            - {scope: team, subject: search, period: daily, limit_usd: 50, action: downgrade, downgrade_model: gpt-4o-mini, on_store_failure: open}
            - {scope: user, subject: "*", period: daily, limit_usd: 5, action: alert-only}
        rate_limits:
          team: {requests_per_minute: 600}
          key: {requests_per_minute: 60, tokens_per_minute: 100000}
          teams: {search: {tokens_per_minute: 1000000}}
        guardrails:
          pii: {email: redact, credit_card: block, us_ssn: block, phone: log}
          max_prompt_cost_usd: 0.5
          max_tokens: 4096
          teams:
            legal: {pii: {email: block}}
        cache: {enabled: true, ttl_seconds: 600, semantic: true, similarity_threshold: 0.95, dimensions: 128, disabled_teams: [legal]}
        """).spend
        XCTAssertEqual(c.state.redisURL, "redis://10.0.0.7:6380/1")
        XCTAssertEqual(c.state.timeoutMs, 40)
        XCTAssertEqual(c.auth.mode, .keys)
        XCTAssertEqual(c.defaultOutputTokens, 512)
        XCTAssertEqual(c.budgets.map(\.id), ["org:acme:monthly", "team:search:daily", "user:*:daily"])
        XCTAssertEqual(c.budgets[0].thresholds, [50, 80, 100])
        XCTAssertEqual(c.budgets[0].onStoreFailure, .closed, "inherits state.on_failure")
        XCTAssertEqual(c.budgets[1].onStoreFailure, .open, "its own setting wins")
        XCTAssertEqual(c.budgets[1].downgradeModel, "gpt-4o-mini")
        XCTAssertEqual(c.budgets[2].action, .alertOnly)
        XCTAssertEqual(c.rateLimits.forTeam("search").tokensPerMinute, 1_000_000)
        XCTAssertEqual(c.rateLimits.forTeam("ads").requestsPerMinute, 600)
        XCTAssertEqual(c.rateLimits.key, .init(requestsPerMinute: 60, tokensPerMinute: 100_000))
        XCTAssertEqual(c.guardrails.action(for: .creditCard), .block)
        XCTAssertEqual(c.guardrails.maxPromptCost, Money(usd: 0.5))
        XCTAssertEqual(c.guardrails(for: "legal").action(for: .email), .block)
        XCTAssertEqual(c.guardrails(for: "legal").action(for: .creditCard), .off, "a team policy replaces the default")
        XCTAssertTrue(c.cache.enabled && c.cache.semantic)
        XCTAssertEqual(c.cache.similarityThreshold, 0.95)
        XCTAssertEqual(c.cache.disabledTeams, ["legal"])
    }

    func testDefaultsChangeNothing() throws {
        let c = try parse("server: {port: 8080}").spend
        XCTAssertEqual(c, SpendControls())
        XCTAssertEqual(c.auth.mode, .open)
        XCTAssertNil(c.state.redisURL)
        XCTAssertFalse(c.cache.enabled)
        XCTAssertEqual(c.cache.similarityThreshold, 0.92)
    }

    func testErrorsAreLocated() {
        assertError("state:\n  redis_url: http://x\n", key: "state.redis_url", contains: "expected redis://", line: 2)
        assertError("auth:\n  mode: closed\n", key: "auth.mode", contains: "expected one of open, keys", line: 2)
        assertError("budgets:\n  limits:\n    - {scope: team, subject: a}\n", key: "budgets.limits[0].limit_usd", contains: "needs limit_usd")
        assertError("budgets:\n  limits:\n    - {scope: galaxy, subject: a, limit_usd: 1}\n", key: "budgets.limits[0].scope", contains: "unknown value 'galaxy'")
        assertError("budgets:\n  limits:\n    - {scope: team, subject: a, limit_usd: 1, action: nag}\n", key: "budgets.limits[0].action", contains: "block, downgrade, alert-only")
        assertError("budgets:\n  limits:\n    - {scope: team, subject: a, limit_usd: 1, downgrade_model: gpt-9}\n",
                    key: "budgets.limits[0].downgrade_model", contains: "not in the pricing catalog")
        assertError("budgets:\n  limits:\n    - {scope: team, subject: a, limit_usd: 1}\n    - {scope: team, subject: a, limit_usd: 2}\n",
                    key: "budgets.limits[1]", contains: "duplicate budget team:a:monthly")
        assertError("guardrails:\n  pii: {passport: block}\n", key: "guardrails.pii.passport", contains: "unknown detector")
        assertError("guardrails:\n  pii: {email: scream}\n", key: "guardrails.pii.email", contains: "redact, block, log, off")
        assertError("cache:\n  similarity_threshold: 1.5\n", key: "cache.similarity_threshold", contains: "out of range")
        assertError("cache:\n  enabled: maybe\n", key: "cache.enabled", contains: "expected true or false")
        assertError("rate_limits:\n  team: {requests_per_hour: 5}\n", key: "rate_limits.team.requests_per_hour", contains: "unknown key")
    }

    func testTheExampleConfigCoversTheSpendSections() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("config/finops-router.example.yaml"), encoding: .utf8)
        for section in ["state:", "auth:", "budgets:", "rate_limits:", "guardrails:", "cache:"] {
            XCTAssertTrue(text.contains("\n" + section) || text.contains("\n# " + section), "example lacks \(section)")
        }
    }
}
