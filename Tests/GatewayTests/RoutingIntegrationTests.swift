import FinOpsCore
import Foundation
import XCTest

/// Strategies, policies and savings through the real pipeline (simulator or mock upstreams).
final class RoutingIntegrationTests: XCTestCase {
    private let catalog = DefaultPricing.catalog()

    func testCostFirstPicksTheCheapestModelAndRecordsSavings() async throws {
        let router = try RouterHarness(upstream: nil)
        let reply = try await router.post(Fixtures.chatRequest(model: "router/cost-first"))
        XCTAssertEqual(reply.status, 200, reply.text)
        XCTAssertTrue(reply.header("x-finops-route-reason")?.hasPrefix("cost-first:") ?? false, reply.header("x-finops-route-reason") ?? "")
        let chosen = try XCTUnwrap(reply.header("x-finops-model"))
        let chosenPrice = try XCTUnwrap(catalog.price(for: chosen))
        // No chat model is cheaper per output token than the one chosen.
        for model in catalog.models {
            guard let p = catalog.price(for: model), !model.contains("embedding") else { continue }
            XCTAssertGreaterThanOrEqual(p.outputPerMTok, chosenPrice.outputPerMTok, "\(model) is cheaper than \(chosen)")
        }
        XCTAssertGreaterThanOrEqual(Double(reply.header("x-finops-savings-usd") ?? "") ?? -1, 0)
        let rows = try await router.stopAndReadRows()
        XCTAssertEqual(rows.first?.strategy, "cost-first")
        XCTAssertEqual(rows.first?.model, chosen)
        XCTAssertGreaterThan(rows.first?.baselineCost ?? .zero, rows.first?.cost ?? .zero, "the baseline (best tier) costs more")
    }

    func testAutoSendsEasyPromptsToSmallModelsAndHardOnesUp() async throws {
        let router = try RouterHarness(upstream: nil)
        let easy = try await router.post(Fixtures.chatRequest(model: "router/auto", content: "hi"))
        let hard = try await router.post(Fixtures.chatRequest(model: "router/auto", content:
            "Prove step by step that the sum of the first n odd numbers is n^2, then derive a closed form for sum_{k=1}^{n} k^3, show the induction, and explain each step rigorously. Then write a Python function that verifies both identities for n up to 10^6 and analyse its complexity."))
        XCTAssertEqual(easy.status, 200, easy.text)
        XCTAssertEqual(hard.status, 200, hard.text)
        let easyTier = try XCTUnwrap(catalog.price(for: easy.header("x-finops-model") ?? "")?.tier)
        let hardTier = try XCTUnwrap(catalog.price(for: hard.header("x-finops-model") ?? "")?.tier)
        XCTAssertEqual(easyTier, .small, easy.header("x-finops-route-reason") ?? "")
        XCTAssertGreaterThan(hardTier, easyTier, hard.header("x-finops-route-reason") ?? "")
        let rows = try await router.stopAndReadRows()
        let complexities = rows.compactMap(\.complexity)
        XCTAssertEqual(complexities.count, 2)
        XCTAssertNotEqual(complexities[0], complexities[1])
    }

    func testStrategyHeaderAndUnknownStrategy() async throws {
        let router = try RouterHarness(upstream: nil)
        let viaHeader = try await router.post(Fixtures.chatRequest(model: "gpt-4o"), headers: [("X-FinOps-Strategy", "cost-first")])
        XCTAssertTrue(viaHeader.header("x-finops-route-reason")?.hasPrefix("cost-first") ?? false)
        let bogus = try await router.post(Fixtures.chatRequest(model: "router/cheapest-please"))
        XCTAssertEqual(bogus.status, 400)
        XCTAssertEqual(bogus.json?["error"]?["code"]?.stringValue, "unknown_strategy")
        await router.stop()
    }

    func testTeamPolicyBlocksRulesRouteAndReloadApplies() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("policies-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("legal.yaml")
        try """
        default_strategy: cost-first
        blocked_models: [gpt-4o]
        rules:
          - {name: contracts, match: keyword, pattern: contract, route: large}
        """.write(to: file, atomically: true, encoding: .utf8)
        let router = try RouterHarness(upstream: nil, environment: ["FINOPS_ADMIN_TOKEN": "admin-secret"]) {
            $0.policiesDirectory = dir.path
        }
        let team = [("X-FinOps-Team", "legal")]
        let blocked = try await router.post(Fixtures.chatRequest(model: "gpt-4o"), headers: team)
        XCTAssertEqual(blocked.status, 403, blocked.text)
        XCTAssertEqual(blocked.json?["error"]?["code"]?.stringValue, "model_not_allowed")
        let ruled = try await router.post(Fixtures.chatRequest(model: "router", content: "Please review this contract"), headers: team)
        XCTAssertEqual(ruled.header("x-finops-route-reason"), "rule:contracts")
        XCTAssertEqual(catalog.price(for: ruled.header("x-finops-model") ?? "")?.tier, .large)
        let otherTeam = try await router.post(Fixtures.chatRequest(model: "gpt-4o"), headers: [("X-FinOps-Team", "sales")])
        XCTAssertEqual(otherTeam.status, 200, "teams without a file use the open policy")

        // Unblock gpt-4o and reload.
        try "default_strategy: cost-first\n".write(to: file, atomically: true, encoding: .utf8)
        let noToken = try await router.request("POST", "/admin/reload")
        XCTAssertEqual(noToken.status, 401)
        let reloaded = try await router.request("POST", "/admin/reload", headers: [("Authorization", "Bearer admin-secret")])
        XCTAssertEqual(reloaded.status, 200, reloaded.text)
        let now = try await router.post(Fixtures.chatRequest(model: "gpt-4o"), headers: team)
        XCTAssertEqual(now.status, 200)

        // A broken file is refused with its location, and the policies in force stay.
        try "default_strategy: cost-first\nblocked_models: [gpt-4o]\nbogus_key: 1\n".write(to: file, atomically: true, encoding: .utf8)
        let broken = try await router.request("POST", "/admin/reload", headers: [("Authorization", "Bearer admin-secret")])
        XCTAssertEqual(broken.status, 422)
        XCTAssertTrue(broken.text.contains("legal.yaml:3"), broken.text)
        let still = try await router.post(Fixtures.chatRequest(model: "gpt-4o"), headers: team)
        XCTAssertEqual(still.status, 200, "the last good policies stay in force")
        await router.stop()
    }

    func testCascadeStepsUpOnARefusalAndPaysForBothSteps() async throws {
        let refusal = #"{"id":"c1","object":"chat.completion","created":1,"model":"gpt-4.1-nano","choices":[{"index":0,"message":{"role":"assistant","content":"I'm sorry, but I can't help with that."},"finish_reason":"stop"}],"usage":{"prompt_tokens":100,"completion_tokens":10,"total_tokens":110}}"#
        let good = #"{"id":"c2","object":"chat.completion","created":1,"model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":"Here is the detailed answer."},"finish_reason":"stop"}],"usage":{"prompt_tokens":100,"completion_tokens":50,"total_tokens":150}}"#
        let cheap = try MockUpstream(.json(refusal))
        let strong = try MockUpstream(.json(good))
        let router = try RouterHarness(upstream: nil) { config in
            var a = RouterConfig.Provider(name: "cheap", kind: .openAICompatible)
            a.baseURL = cheap.baseURL
            a.models = ["gpt-4.1-nano"]
            var b = RouterConfig.Provider(name: "strong", kind: .openAICompatible)
            b.baseURL = strong.baseURL
            b.models = ["gpt-4o"]
            config.providers = [a, b]
        }
        let reply = try await router.post(Fixtures.chatRequest(model: "router/cascade"))
        XCTAssertEqual(reply.status, 200, reply.text)
        XCTAssertEqual(reply.header("x-finops-model"), "gpt-4o")
        XCTAssertTrue(reply.header("x-finops-route-reason")?.contains("cascade:step-up after refusal") ?? false,
                      reply.header("x-finops-route-reason") ?? "")
        XCTAssertEqual(reply.json?["choices"]?.arrayValue?.first?["message"]?["content"]?.stringValue, "Here is the detailed answer.")
        let rows = try await router.stopAndReadRows()
        await cheap.stop()
        await strong.stop()
        let nano = try XCTUnwrap(catalog.price(for: "gpt-4.1-nano"))
        let gpt4o = try XCTUnwrap(catalog.price(for: "gpt-4o"))
        let expected = CostCalculator.cost(of: TokenUsage(inputTokens: 100, outputTokens: 10), at: nano)
            + CostCalculator.cost(of: TokenUsage(inputTokens: 100, outputTokens: 50), at: gpt4o)
        XCTAssertEqual(rows.first?.cost, expected, "both steps are paid")
        XCTAssertEqual(rows.first?.attempts, ["cheap:gpt-4.1-nano:ok", "strong:gpt-4o:ok"])
        XCTAssertEqual(rows.first?.strategy, "cascade")
    }

    func testCascadeStepsUpWhenTheCheapModelFails() async throws {
        let good = #"{"id":"c2","object":"chat.completion","created":1,"model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":"Fine."},"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15}}"#
        let cheap = try MockUpstream(.status(500, body: #"{"error":{"message":"boom"}}"#, headers: []))
        let strong = try MockUpstream(.json(good))
        let router = try RouterHarness(upstream: nil) { config in
            var a = RouterConfig.Provider(name: "cheap", kind: .openAICompatible)
            a.baseURL = cheap.baseURL
            a.models = ["gpt-4.1-nano"]
            var b = RouterConfig.Provider(name: "strong", kind: .openAICompatible)
            b.baseURL = strong.baseURL
            b.models = ["gpt-4o"]
            config.providers = [a, b]
        }
        let reply = try await router.post(Fixtures.chatRequest(model: "router/cascade"))
        XCTAssertEqual(reply.status, 200, reply.text)
        XCTAssertEqual(reply.header("x-finops-model"), "gpt-4o")
        let reason = reply.header("x-finops-route-reason") ?? ""
        XCTAssertTrue(reason.hasPrefix("cascade:start tier=small; cascade:step-up after failure ("), reason)
        XCTAssertTrue(reason.contains("→tier=medium"), reason)
        let rows = try await router.stopAndReadRows()
        await cheap.stop()
        await strong.stop()
        XCTAssertEqual(rows.first?.routeReason, reason)
        XCTAssertEqual(rows.first?.strategy, "cascade")
    }

    /// The policy's failover group backs up the routed model; it never replaces it, never
    /// reaches a model the policy blocks, and never drops below the tier floor.
    func testFailoverGroupComesAfterTheRoutedModelAndKeepsThePolicy() async throws {
        func answer(_ model: String) -> String {
            #"{"id":"x","object":"chat.completion","created":1,"model":"\#(model)","choices":[{"index":0,"message":{"role":"assistant","content":"from \#(model)"},"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15}}"#
        }
        let failing = try MockUpstream(.status(500, body: #"{"error":{"message":"down"}}"#, headers: []))
        let cheap = try MockUpstream(.json(answer("gpt-4.1-nano")))
        let blocked = try MockUpstream(.json(answer("o3-mini")))
        let alt = try MockUpstream(.json(answer("gpt-4o")))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("policies-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try """
        default_strategy: cost-first
        min_tier: {default: medium}
        blocked_models: [o3-mini]
        failover_group: backup
        """.write(to: dir.appendingPathComponent("ops.yaml"), atomically: true, encoding: .utf8)
        let router = try RouterHarness(upstream: nil) { config in
            func provider(_ name: String, _ mock: MockUpstream, _ model: String) -> RouterConfig.Provider {
                var p = RouterConfig.Provider(name: name, kind: .openAICompatible)
                p.baseURL = mock.baseURL
                p.models = [model]
                return p
            }
            config.providers = [provider("mid", failing, "gpt-4.1"), provider("cheap", cheap, "gpt-4.1-nano"),
                                provider("blocked", blocked, "o3-mini"), provider("alt", alt, "gpt-4o")]
            config.failoverGroups = [.init(name: "backup", chain: [("cheap", "gpt-4.1-nano"), ("blocked", "o3-mini"), ("alt", "gpt-4o")],
                                           models: [])]
            config.policiesDirectory = dir.path
        }
        let reply = try await router.post(Fixtures.chatRequest(model: "router"), headers: [("X-FinOps-Team", "ops")])
        XCTAssertEqual(reply.status, 200, reply.text)
        XCTAssertEqual(reply.header("x-finops-model"), "gpt-4o", reply.header("x-finops-route-reason") ?? "")
        XCTAssertGreaterThanOrEqual(failing.requests.count, 1, "the routed model (cheapest medium: gpt-4.1) is called first (and retried)")
        XCTAssertEqual(cheap.requests.count, 0, "below the medium floor")
        XCTAssertEqual(blocked.requests.count, 0, "blocked by the policy")
        await router.stop()
        for mock in [failing, cheap, blocked, alt] { await mock.stop() }
    }
}
