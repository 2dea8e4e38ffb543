import FinOpsCore
import XCTest

/// Failover over real HTTP: a failing primary, a healthy backup, the row and metrics that show it.
final class FailoverIntegrationTests: XCTestCase {
    func testPrimaryOutageFailsOverToBackupAndIsRecorded() async throws {
        let primary = try MockUpstream(.status(503, body: #"{"error":{"message":"overloaded"}}"#, headers: [("Content-Type", "application/json")]))
        let backup = try MockUpstream(.json(Fixtures.chatCompletion))
        let router = try RouterHarness(upstream: nil) { config in
            var a = RouterConfig.Provider(name: "primary", kind: .openAICompatible)
            a.baseURL = primary.baseURL
            a.models = ["gpt-4o-mini"]
            var b = RouterConfig.Provider(name: "backup", kind: .openAICompatible)
            b.baseURL = backup.baseURL
            b.models = ["gpt-4o-mini"]
            config.providers.insert(contentsOf: [a, b], at: 0)
            config.retry.baseDelay = 0
        }
        let reply = try await router.post(Fixtures.chatRequest())
        XCTAssertEqual(reply.status, 200, reply.text)
        XCTAssertEqual(reply.header("x-finops-provider"), "backup")
        XCTAssertTrue(reply.header("x-finops-route-reason")?.contains("failover:upstream_unavailable→backup:gpt-4o-mini") ?? false,
                      reply.header("x-finops-route-reason") ?? "")
        XCTAssertEqual(primary.requests.count, 2, "one retry on the primary before failing over")
        XCTAssertEqual(backup.requests.count, 1)

        let metrics = try await router.metricsText()
        XCTAssertTrue(metrics.contains(#"finops_router_failovers_total{provider="primary",model="gpt-4o-mini",kind="upstream_unavailable"} 1"#), metrics)
        XCTAssertTrue(metrics.contains(#"finops_router_circuit_state{provider="primary",model="gpt-4o-mini"} 0"#), metrics)
        let ready = try await router.request("GET", "/readyz")
        XCTAssertEqual(ready.json?["circuits"]?["primary:gpt-4o-mini"]?.stringValue, "closed")

        let rows = try await router.stopAndReadRows()
        await primary.stop()
        await backup.stop()
        let row = try XCTUnwrap(rows.first)
        XCTAssertEqual(row.status, .failover)
        XCTAssertEqual(row.provider, "backup")
        XCTAssertEqual(row.errorKind, "upstream_unavailable")
        XCTAssertEqual(row.attempts, ["primary:gpt-4o-mini:upstream_unavailable", "primary:gpt-4o-mini:upstream_unavailable", "backup:gpt-4o-mini:ok"])
        XCTAssertEqual(row.cost, Money(nanos: 24_300))
    }

    func testStreamFailsOverBeforeTheFirstByte() async throws {
        let primary = try MockUpstream(.status(429, body: Fixtures.rateLimited, headers: [("Retry-After", "120")]))
        let backup = try MockUpstream(.stream(chunks: Fixtures.streamChunks, usage: Fixtures.streamUsageChunk, done: true))
        let router = try RouterHarness(upstream: nil) { config in
            var a = RouterConfig.Provider(name: "primary", kind: .openAICompatible)
            a.baseURL = primary.baseURL
            a.models = ["gpt-4o-mini"]
            var b = RouterConfig.Provider(name: "backup", kind: .openAICompatible)
            b.baseURL = backup.baseURL
            b.models = ["gpt-4o-mini"]
            config.providers.insert(contentsOf: [a, b], at: 0)
        }
        let (head, text) = try await router.postStream(Fixtures.chatRequest(stream: true))
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(head.header("x-finops-provider"), "backup")
        XCTAssertTrue(text.hasSuffix("data: [DONE]\n\n"))
        XCTAssertEqual(primary.requests.count, 1, "a 120 s Retry-After is not waited for")
        let rows = try await router.stopAndReadRows()
        await primary.stop()
        await backup.stop()
        XCTAssertEqual(rows.first?.status, .failover)
        XCTAssertEqual(rows.first?.errorKind, "upstream_rate_limited")
    }

    func testFailoverGroupAcrossProvidersAndModelsInTheSimulator() async throws {
        let router = try RouterHarness(upstream: nil) { config in
            var primary = RouterConfig.Provider(name: "sim-primary", kind: .simulator)
            var outage = RouterConfig.Simulator()
            outage.latencyMedianMs = 0
            outage.latencyP95Ms = 0
            outage.outages = [.init(model: nil, startAfterSeconds: 0, durationSeconds: 3600)]
            primary.simulator = outage
            primary.models = ["gpt-4o"]
            var backup = RouterConfig.Provider(name: "sim-backup", kind: .simulator)
            backup.models = ["claude-sonnet-4-20250514"]
            config.providers = [primary, backup]
            config.failoverGroups = [.init(name: "flagship", chain: [("sim-primary", "gpt-4o"), ("sim-backup", "claude-sonnet-4-20250514")],
                                           models: ["gpt-4o"])]
            config.retry.maxAttemptsPerProvider = 1
        }
        for model in ["gpt-4o", "flagship"] {
            let reply = try await router.post(Fixtures.chatRequest(model: model))
            XCTAssertEqual(reply.status, 200, reply.text)
            XCTAssertEqual(reply.header("x-finops-provider"), "sim-backup")
            XCTAssertEqual(reply.header("x-finops-model"), "claude-sonnet-4-20250514")
        }
        let models = try await router.request("GET", "/v1/models")
        XCTAssertTrue(models.text.contains(#""id":"flagship""#))
        let rows = try await router.stopAndReadRows()
        XCTAssertEqual(rows.count, 2)
        XCTAssertTrue(rows.allSatisfy { $0.status == .failover && $0.model == "claude-sonnet-4-20250514" })
        // Priced at the backup's model; the baseline is the chain's first model, so the difference shows.
        XCTAssertTrue(rows.allSatisfy { $0.baselineModel == "gpt-4o" && $0.baselineCost != $0.cost && $0.baselineCost > .zero })
    }
}
