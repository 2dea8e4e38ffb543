import FinOpsCore
import Foundation
import Logging
import Storage
import Upstream
import XCTest

/// Two router processes (the built binary, started twice) share one real Redis: 200 parallel
/// requests against a $1.00 team budget end with spend ≤ $1.00 + one request's cost, and every
/// other request gets 402.
final class SharedRedisBudgetTests: XCTestCase {
    /// 10 prompt + 1,000 output tokens on gpt-4o ($2.50 / $10 per 1M) = $0.010025 per call.
    static let usage = #"{"id":"c","object":"chat.completion","created":1,"model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":1000,"total_tokens":1010}}"#
    static let callCost = Money(nanos: 10_025_000)

    func testTwoRoutersSharingRedisHoldATeamBudget() async throws {
        guard let redisURL = ProcessInfo.processInfo.environment["FINOPS_TEST_REDIS_URL"], let endpoint = RedisPool.Endpoint.parse(redisURL) else {
            throw XCTSkip("set FINOPS_TEST_REDIS_URL (scripts/test starts a Redis)")
        }
        let binary = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/finops-router").path
        guard FileManager.default.isExecutableFile(atPath: binary) else { throw XCTSkip("build the binary first: \(binary)") }
        signal(SIGPIPE, SIG_IGN)
        let mock = try MockUpstream(.json(Self.usage))
        let team = "shared-\(UUID().uuidString.prefix(8))"
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("finops-shared-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        var routers: [(Process, Int)] = []
        for i in 0..<2 {
            let port = freePort()
            let config = """
            server: {host: 127.0.0.1, port: \(port)}
            telemetry: {sqlite_path: \(dir.path)/r\(i)/router.sqlite, flush_interval_ms: 20}  # own folder: each router owns its spill file
            providers:
              - {name: openai, kind: openai-compatible, base_url: "\(mock.baseURL)", api_key_env: TEST_KEY, models: [gpt-4o]}
            state: {redis_url: "\(redisURL)", timeout_ms: 250, pool_size: 4}
            budgets:
              limits:
                - {scope: team, subject: \(team), period: monthly, limit_usd: 1.00, on_store_failure: closed}
            """
            let file = dir.appendingPathComponent("router\(i).yaml")
            try config.write(to: file, atomically: true, encoding: .utf8)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: binary)
            p.arguments = ["serve", "--config", file.path, "--log-level", "warning"]
            p.environment = ProcessInfo.processInfo.environment.merging(["TEST_KEY": "sk-test"]) { _, b in b }
            p.standardOutput = FileHandle.nullDevice
            p.standardError = try FileHandle(forWritingTo: { FileManager.default.createFile(atPath: dir.path + "/r\(i).log", contents: nil); return dir.appendingPathComponent("r\(i).log") }())
            try p.run()
            routers.append((p, port))
        }
        let client = CurlMultiLoop(logger: Logger(label: "shared-redis-test"))
        defer {
            for (p, _) in routers { p.terminate(); p.waitUntilExit() }
            client.shutdown()
        }
        for (_, port) in routers {
            var ready = false
            for _ in 0..<400 where !ready {
                ready = (try? await client.execute(UpstreamRequest(url: "http://127.0.0.1:\(port)/healthz", method: "GET", timeout: .seconds(1))))?.status == 200
                if !ready { try await Task.sleep(for: .milliseconds(25)) }
            }
            XCTAssertTrue(ready, "router on \(port) did not start; see \(dir.path)")
        }

        let body = Array(#"{"model":"gpt-4o","max_tokens":1000,"messages":[{"role":"user","content":"Summarise our Q3 cloud spend by team, please."}]}"#.utf8)
        let ports = routers.map(\.1)
        let results = await withTaskGroup(of: (Int, Money, String?).self) { group in
            for i in 0..<200 {
                group.addTask {
                    let r = try? await client.execute(UpstreamRequest(
                        url: "http://127.0.0.1:\(ports[i % 2])/v1/chat/completions",
                        headers: [("Content-Type", "application/json"), ("X-FinOps-Team", team)], body: body, timeout: .seconds(60)))
                    let cost = r?.head.header("x-finops-cost-usd").flatMap(Double.init).map { Money(usd: $0) } ?? .zero
                    let code = r.flatMap { try? JSONParser.parse($0.body) }?["error"]?["code"]?.stringValue
                    return (r?.status ?? 0, cost, code)
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let ok = results.filter { $0.0 == 200 }
        let refused = results.filter { $0.0 == 402 }
        XCTAssertEqual(ok.count + refused.count, 200, "statuses: \(Dictionary(grouping: results, by: \.0).mapValues(\.count))")
        XCTAssertTrue(refused.allSatisfy { $0.2 == "budget_exceeded" })
        XCTAssertGreaterThanOrEqual(ok.count, 90, "the budget is actually used, not refused wholesale")
        let served = ok.reduce(Money.zero) { $0 + $1.1 }
        XCTAssertLessThanOrEqual(served, Money(usd: 1) + Self.callCost, "spend from responses: \(served)")

        let redis = try RedisConnection(host: endpoint.host, port: endpoint.port, timeoutMs: 2_000)
        let key = "finops:{default}:budget:team:\(team):\(BudgetPeriod.monthly.window(at: Date()).id)"
        guard case .string(let raw) = try redis.command(["GET", key]), let nanos = Int64(raw) else { return XCTFail("no counter at \(key)") }
        XCTAssertLessThanOrEqual(Money(nanos: nanos), Money(usd: 1) + Self.callCost, "spend in Redis")
        XCTAssertEqual(Money(nanos: nanos), served, "Redis agrees with what the routers billed")
        _ = try? redis.command(["DEL", key])
        await mock.stop()
    }
}
