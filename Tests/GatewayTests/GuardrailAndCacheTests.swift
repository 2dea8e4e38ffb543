import FinOpsCore
import XCTest

/// Guardrails (PII redact/block/log, max tokens, prompt cost) and the exact + semantic cache.
final class GuardrailAndCacheTests: XCTestCase {
    func testPIIIsRedactedBlockedOrLoggedPerPolicy() async throws {
        let mock = try MockUpstream(.json(Fixtures.chatCompletion))
        let router = try RouterHarness(upstream: mock.baseURL) {
            $0.spend.guardrails = GuardrailPolicy(pii: [.email: .redact, .creditCard: .block, .phone: .log])
        }
        let redacted = try await router.post(SpendFixtures.chat("Email ana@example.com or ring +1 415-555-0132"))
        XCTAssertEqual(redacted.status, 200, redacted.text)
        let sent = mock.requests.last?.body?["messages"]?.arrayValue?.last?["content"]?.stringValue
        XCTAssertEqual(sent, "Email [REDACTED_EMAIL] or ring +1 415-555-0132", "email redacted, phone only logged")
        XCTAssertTrue(redacted.header("x-finops-route-reason")?.contains("guardrails:email=redact,phone=log") ?? false)

        let blocked = try await router.post(SpendFixtures.chat("My card is 4111 1111 1111 1111"))
        XCTAssertEqual(blocked.status, 400)
        XCTAssertEqual(blocked.json?["error"]?["code"]?.stringValue, "pii_detected")
        XCTAssertEqual(blocked.json?["error"]?["violations"]?.arrayValue, [.string("credit_card")])
        XCTAssertFalse(blocked.text.contains("4111"), "the value never comes back")
        XCTAssertEqual(mock.requests.count, 1, "a blocked prompt never reaches the provider")
        let metrics = try await router.request("GET", "/metrics").text
        XCTAssertTrue(metrics.contains(#"finops_router_guardrail_violations_total{detector="credit_card",action="block"} 1"#), metrics)
        XCTAssertTrue(metrics.contains(#"finops_router_guardrail_violations_total{detector="phone",action="log"} 1"#))
        let rows = try await router.stopAndReadRows()
        await mock.stop()
        XCTAssertEqual(rows.first { $0.httpStatus == 400 }?.errorKind, "pii_detected")
        XCTAssertEqual(rows.first { $0.httpStatus == 400 }?.status, .blocked)
    }

    func testMaxTokensAndPromptCostCaps() async throws {
        let mock = try MockUpstream(.json(Fixtures.chatCompletion))
        let router = try RouterHarness(upstream: mock.baseURL) {
            $0.spend.guardrails = GuardrailPolicy(maxPromptCost: Money(usd: 0.001), maxTokens: 500)
            $0.spend.teamGuardrails["free"] = GuardrailPolicy(maxPromptCost: Money(usd: 0.00001))
        }
        let tooMany = try await router.post(SpendFixtures.chat(maxTokens: 501))
        XCTAssertEqual(tooMany.status, 400)
        XCTAssertEqual(tooMany.json?["error"]?["code"]?.stringValue, "max_tokens_exceeded")
        let r1 = try await router.post(SpendFixtures.chat(maxTokens: nil))
        XCTAssertEqual(r1.status, 200)
        XCTAssertEqual(mock.requests.last?.body?["max_tokens"]?.intValue, 500, "the cap is set when the client sent none")
        let costly = try await router.post(SpendFixtures.chat(maxTokens: 100), headers: SpendFixtures.team("free"))
        XCTAssertEqual(costly.status, 400)
        XCTAssertEqual(costly.json?["error"]?["code"]?.stringValue, "prompt_cost_limit_exceeded")
        await router.stop()
        await mock.stop()
    }

    func testExactHitsAreFreeReplayAsSSEAndRespectNoCache() async throws {
        let mock = try MockUpstream(.json(Fixtures.chatCompletion))
        let router = try RouterHarness(upstream: mock.baseURL) {
            $0.spend.cache.enabled = true
            $0.spend.cache.disabledTeams = ["legal"]
        }
        let miss = try await router.post(SpendFixtures.chat())
        XCTAssertEqual(miss.header("x-finops-cache"), "miss")
        // Same request with different JSON spacing and key order.
        let hit = try await router.post(#"{"max_tokens":40, "messages":[{"role":"system","content":"Be brief."},{"content":"What is the weather in  San Francisco?","role":"user"}],"model":"gpt-4o-mini"}"#)
        XCTAssertEqual(hit.status, 200)
        XCTAssertEqual(hit.header("x-finops-cache"), "exact")
        XCTAssertEqual(hit.header("x-finops-cost-usd"), "0.000000")
        XCTAssertEqual(hit.header("x-finops-savings-usd"), "0.0000243")
        XCTAssertEqual(hit.json?["choices"]?.arrayValue?.first?["message"]?["content"]?.stringValue, miss.json?["choices"]?.arrayValue?.first?["message"]?["content"]?.stringValue)
        XCTAssertEqual(mock.requests.count, 1)

        let (head, sse) = try await router.postStream(SpendFixtures.chat(stream: true))
        XCTAssertEqual(head.header("x-finops-cache"), "exact")
        XCTAssertTrue(sse.contains(#""content":"I'm unable to provide real-time weather updates."#), sse)
        XCTAssertTrue(sse.contains(#""finish_reason":"stop""#))
        XCTAssertTrue(sse.hasSuffix("data: [DONE]\n\n"), sse)

        let r2 = try await router.post(SpendFixtures.chat(), headers: [("Cache-Control", "no-cache")])

        XCTAssertEqual(r2.header("x-finops-cache"), "miss")
        let r3 = try await router.post(SpendFixtures.chat(), headers: SpendFixtures.team("legal"))
        XCTAssertEqual(r3.header("x-finops-cache"), "miss")
        XCTAssertEqual(mock.requests.count, 3)
        let rows = try await router.stopAndReadRows()
        await mock.stop()
        let hits = rows.filter { $0.status == .cacheHit }
        XCTAssertEqual(hits.count, 2)
        XCTAssertTrue(hits.allSatisfy { $0.cost == .zero && $0.baselineCost == Money(nanos: 24_300) && $0.cache == "exact" })
    }

    func testSemanticHitsForNearDuplicatePrompts() async throws {
        let mock = try MockUpstream(.json(Fixtures.chatCompletion))
        let router = try RouterHarness(upstream: mock.baseURL) {
            $0.spend.cache.enabled = true
            $0.spend.cache.semantic = true
        }
        _ = try await router.post(SpendFixtures.chat("What is the weather in San Francisco today?"))
        let near = try await router.post(SpendFixtures.chat("what is the weather in San Francisco today"))
        XCTAssertEqual(near.header("x-finops-cache"), "semantic")
        let other = try await router.post(SpendFixtures.chat("Write a limerick about Kubernetes operators"))
        XCTAssertEqual(other.header("x-finops-cache"), "miss")
        let otherModel = try await router.post(SpendFixtures.chat("what is the weather in San Francisco today", model: "gpt-4o"))
        XCTAssertEqual(otherModel.header("x-finops-cache"), "miss", "a semantic hit needs the same model and parameters")
        let metrics = try await router.request("GET", "/metrics").text
        XCTAssertTrue(metrics.contains(#"finops_router_cache_lookups_total{result="semantic"} 1"#), metrics)
        XCTAssertTrue(metrics.contains("finops_router_cache_cost_avoided_usd_total"))
        await router.stop()
        await mock.stop()
    }
}
