import FinOpsCore
import XCTest

/// Streams and the Anthropic endpoint go through the same reservation and error bodies.
final class BudgetFormatsTests: XCTestCase {
    func testStreamsSettleTheirActualCostAndAnthropicClientsGetBudgetDetails() async throws {
        let mock = try MockUpstream(.stream(chunks: Fixtures.streamChunks, usage: Fixtures.streamUsageChunk, done: true))
        let router = try RouterHarness(upstream: mock.baseURL, environment: ["FINOPS_ADMIN_TOKEN": SpendFixtures.adminToken]) {
            $0.spend.budgets = [BudgetPolicy(scope: .team, subject: "default", period: .daily, limit: Money(usd: 0.00005))]
        }
        let (head, _) = try await router.postStream(SpendFixtures.chat(stream: true))
        XCTAssertEqual(head.status, 200)
        // 79 in + 11 out on gpt-4o-mini = $0.00001845, settled after the stream ended.
        let listed = try await router.request("GET", "/admin/budgets", headers: SpendFixtures.admin())
        XCTAssertEqual(listed.json?["data"]?.arrayValue?.first?["spent_usd"]?.doubleValue, 0.00001845)

        let anthropic = try await router.post(#"{"model":"gpt-4o-mini","max_tokens":200,"messages":[{"role":"user","content":"hello"}]}"#,
                                              path: "/v1/messages")
        XCTAssertEqual(anthropic.status, 402, anthropic.text)
        XCTAssertEqual(anthropic.json?["type"]?.stringValue, "error")
        XCTAssertEqual(anthropic.json?["error"]?["budget"]?["scope"]?.stringValue, "team")
        XCTAssertEqual(anthropic.json?["error"]?["budget"]?["spent_usd"]?.doubleValue, 0.00001845)
        await router.stop()
        await mock.stop()
    }

    func testEmbeddingsAreBudgetedAndRateLimitedToo() async throws {
        let router = try RouterHarness(upstream: nil) {
            $0.spend.budgets = [BudgetPolicy(scope: .team, subject: "search", period: .daily, limit: Money(nanos: 500))]
            $0.spend.rateLimits.teams["ads"] = .init(requestsPerMinute: 1)
        }
        let body = #"{"model":"text-embedding-3-small","input":"refund my order please"}"#
        var statuses: [Int] = []
        for _ in 0..<6 { statuses.append(try await router.post(body, path: "/v1/embeddings", headers: SpendFixtures.team("search")).status) }
        // Each reserves 7 estimated tokens × 20 nano-dollars = 140 and costs 6 × 20 = 120: 120 × 3 + 140 ≤ 500.
        XCTAssertEqual(statuses.filter { $0 == 200 }.count, 4, "\(statuses)")
        XCTAssertEqual(statuses.last, 402)
        let refused = try await router.post(body, path: "/v1/embeddings", headers: SpendFixtures.team("search"))
        XCTAssertEqual(refused.json?["error"]?["budget"]?["scope"]?.stringValue, "team")
        let first = try await router.post(body, path: "/v1/embeddings", headers: SpendFixtures.team("ads"))
        XCTAssertEqual(first.header("x-ratelimit-remaining-requests"), "0")
        let second = try await router.post(body, path: "/v1/embeddings", headers: SpendFixtures.team("ads"))
        XCTAssertEqual(second.status, 429)
        await router.stop()
    }
}
