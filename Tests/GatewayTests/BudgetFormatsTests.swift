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
}
