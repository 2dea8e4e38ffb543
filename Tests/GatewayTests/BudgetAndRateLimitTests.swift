import FinOpsCore
import XCTest

/// Budgets (block, downgrade, alert-only, thresholds, admin overrides) and rate limits over HTTP.
final class BudgetAndRateLimitTests: XCTestCase {
    func budget(_ subject: String, _ usd: Double, _ action: BudgetAction = .block) -> BudgetPolicy {
        BudgetPolicy(scope: .team, subject: subject, period: .monthly, limit: Money(usd: usd), action: action)
    }

    func testBlockAnswers402NamingScopeLimitSpentAndReset() async throws {
        let mock = try MockUpstream(.json(Fixtures.chatCompletion))
        let router = try RouterHarness(upstream: mock.baseURL) { $0.spend.budgets = [self.budget("search", 0.0001)] }
        // Each call reserves $0.0000276 and costs $0.0000243: three fit under $0.0001, the fourth does not.
        for i in 0..<3 {
            let r = try await router.post(SpendFixtures.chat(), headers: SpendFixtures.team("search"))
            XCTAssertEqual(r.status, 200, "call \(i): \(r.text)")
        }
        let refused = try await router.post(SpendFixtures.chat(), headers: SpendFixtures.team("search"))
        XCTAssertEqual(refused.status, 402)
        let error = try XCTUnwrap(refused.json?["error"])
        XCTAssertEqual(error["code"]?.stringValue, "budget_exceeded")
        XCTAssertEqual(error["budget"]?["scope"]?.stringValue, "team")
        XCTAssertEqual(error["budget"]?["subject"]?.stringValue, "search")
        XCTAssertEqual(error["budget"]?["limit_usd"]?.doubleValue, 0.0001)
        XCTAssertEqual(error["budget"]?["spent_usd"]?.doubleValue, 0.0000729)
        XCTAssertEqual(error["budget"]?["reset_at"]?.stringValue, BudgetPeriod.monthly.window(at: Date()).resetISO8601)
        XCTAssertTrue(error["message"]?.stringValue?.contains("Team 'search' has spent $0.0000729 of its $0.000100 monthly budget") ?? false,
                      refused.text)
        // Another team is not affected.
        let s1 = try await router.post(SpendFixtures.chat(), headers: SpendFixtures.team("ads")).status; XCTAssertEqual(s1, 200)
        let metrics = try await router.request("GET", "/metrics").text
        XCTAssertTrue(metrics.contains(#"finops_router_budget_threshold_crossings_total{scope="team",threshold="50"} 1"#), metrics)
        XCTAssertTrue(metrics.contains(#"finops_router_budget_actions_total{scope="team",action="block"} 1"#))
        let rows = try await router.stopAndReadRows()
        await mock.stop()
        XCTAssertEqual(rows.first { $0.httpStatus == 402 }?.status, .blocked)
        XCTAssertEqual(mock.requests.count, 4)
    }

    func testDowngradeRoutesToTheCheapModelAndAlertOnlyServes() async throws {
        let mock = try MockUpstream(.json(Fixtures.chatCompletion))
        let router = try RouterHarness(upstream: mock.baseURL) {
            $0.spend.budgets = [self.budget("search", 0.00001, .downgrade), self.budget("ads", 0.00001, .alertOnly)]
        }
        let r = try await router.post(SpendFixtures.chat(model: "gpt-4o"), headers: SpendFixtures.team("search"))
        XCTAssertEqual(r.status, 200, r.text)
        XCTAssertEqual(r.header("x-finops-model"), "gpt-4o-mini")
        XCTAssertTrue(r.header("x-finops-route-reason")?.contains("budget_downgrade:team:search:monthly→gpt-4o-mini") ?? false)
        XCTAssertEqual(mock.requests.last?.body?["model"]?.stringValue, "gpt-4o-mini")
        for _ in 0..<3 { let s2 = try await router.post(SpendFixtures.chat(), headers: SpendFixtures.team("ads")).status; XCTAssertEqual(s2, 200) }
        let metrics = try await router.request("GET", "/metrics").text
        XCTAssertTrue(metrics.contains(#"finops_router_budget_actions_total{scope="team",action="alert-only"} 1"#), metrics)
        XCTAssertTrue(metrics.contains(#"finops_router_budget_actions_total{scope="team",action="downgrade"} 1"#))
        await router.stop()
        await mock.stop()
    }

    func testAdminBudgetsApplyAndReportSpend() async throws {
        let mock = try MockUpstream(.json(Fixtures.chatCompletion))
        let router = try RouterHarness(upstream: mock.baseURL, environment: ["FINOPS_ADMIN_TOKEN": SpendFixtures.adminToken])
        let set = try await router.request("POST", "/admin/budgets", body: #"{"scope":"team","subject":"ml","period":"daily","limit_usd":0.00003}"#,
                                           headers: SpendFixtures.admin())
        XCTAssertEqual(set.status, 200, set.text)
        let s3 = try await router.post(SpendFixtures.chat(), headers: SpendFixtures.team("ml")).status; XCTAssertEqual(s3, 200)
        let s4 = try await router.post(SpendFixtures.chat(), headers: SpendFixtures.team("ml")).status; XCTAssertEqual(s4, 402)
        let listed = try await router.request("GET", "/admin/budgets", headers: SpendFixtures.admin())
        let entry = listed.json?["data"]?.arrayValue?.first
        XCTAssertEqual(entry?["id"]?.stringValue, "team:ml:daily")
        XCTAssertEqual(entry?["spent_usd"]?.doubleValue, 0.0000243)
        XCTAssertEqual(entry?["source"]?.stringValue, "admin")
        let defaulted = try await router.request("POST", "/admin/budgets", body: #"{"scope":"org","subject":"acme","limit_usd":1000}"#,
                                                 headers: SpendFixtures.admin())
        XCTAssertEqual(defaulted.json?["id"]?.stringValue, "org:acme:monthly", "period defaults to monthly")
        let bad = try await router.request("POST", "/admin/budgets", body: #"{"scope":"galaxy","subject":"x","limit_usd":1}"#, headers: SpendFixtures.admin())
        XCTAssertEqual(bad.status, 400)
        let s5 = try await router.request("DELETE", "/admin/budgets/team:ml:daily", headers: SpendFixtures.admin()).status; XCTAssertEqual(s5, 200)
        let s6 = try await router.post(SpendFixtures.chat(), headers: SpendFixtures.team("ml")).status; XCTAssertEqual(s6, 200)
        let audit = try await router.request("GET", "/admin/audit", headers: SpendFixtures.admin())
        XCTAssertEqual(audit.json?["data"]?.arrayValue?.compactMap { $0["action"]?.stringValue }, ["budget.set", "budget.set", "budget.delete"])
        await router.stop()
        await mock.stop()
    }

    func testRateLimitAnswers429WithRetryAfterAndHeaders() async throws {
        let mock = try MockUpstream(.json(Fixtures.chatCompletion))
        let router = try RouterHarness(upstream: mock.baseURL) {
            $0.spend.rateLimits.teams["search"] = .init(requestsPerMinute: 2, tokensPerMinute: 100_000)
        }
        let first = try await router.post(SpendFixtures.chat(), headers: SpendFixtures.team("search"))
        XCTAssertEqual(first.header("x-ratelimit-limit-requests"), "2")
        XCTAssertEqual(first.header("x-ratelimit-remaining-requests"), "1")
        XCTAssertEqual(first.header("x-ratelimit-limit-tokens"), "100000")
        XCTAssertNotNil(first.header("x-ratelimit-reset-tokens"))
        let s7 = try await router.post(SpendFixtures.chat(), headers: SpendFixtures.team("search")).status; XCTAssertEqual(s7, 200)
        let refused = try await router.post(SpendFixtures.chat(), headers: SpendFixtures.team("search"))
        XCTAssertEqual(refused.status, 429)
        XCTAssertEqual(refused.header("retry-after"), "30")
        XCTAssertEqual(refused.header("x-ratelimit-remaining-requests"), "0")
        XCTAssertEqual(refused.json?["error"]?["code"]?.stringValue, "rate_limit_exceeded")
        XCTAssertEqual(refused.json?["error"]?["rate_limit"]?["limit_per_minute"]?.intValue, 2)
        XCTAssertEqual(refused.json?["error"]?["rate_limit"]?["kind"]?.stringValue, "requests")
        let s8 = try await router.post(SpendFixtures.chat(), headers: SpendFixtures.team("other")).status; XCTAssertEqual(s8, 200)
        // A token limit smaller than one request's estimate refuses it outright.
        await router.stop()
        let tight = try RouterHarness(upstream: mock.baseURL) { $0.spend.rateLimits.team = .init(tokensPerMinute: 50) }
        let tokens = try await tight.post(SpendFixtures.chat(maxTokens: 100))
        XCTAssertEqual(tokens.status, 429)
        XCTAssertEqual(tokens.json?["error"]?["rate_limit"]?["kind"]?.stringValue, "tokens")
        XCTAssertTrue(tokens.json?["error"]?["message"]?.stringValue?.contains("more than the 50 tokens per minute") ?? false, tokens.text)
        await tight.stop()
        await mock.stop()
    }
}
