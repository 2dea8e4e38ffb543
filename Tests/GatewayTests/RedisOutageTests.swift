import FinOpsCore
import Foundation
import Storage
import XCTest

/// A private Redis is stopped under load: the fail-open team keeps being served (rows marked
/// budget_unchecked), the fail-closed team gets 503 with a clear message, nothing crashes, and
/// once Redis is back the closed team is served again without any restart.
final class RedisOutageTests: XCTestCase {
    func testFailOpenKeepsServingFailClosedRefusesAndRecoveryIsAutomatic() async throws {
        let redis = try RedisServer()
        let mock = try MockUpstream(.json(Fixtures.chatCompletion))
        let router = try RouterHarness(upstream: mock.baseURL) {
            $0.spend.state.redisURL = redis.url
            $0.spend.state.timeoutMs = 50
            $0.spend.budgets = [
                BudgetPolicy(scope: .team, subject: "open-team", period: .monthly, limit: Money(usd: 100), onStoreFailure: .open),
                BudgetPolicy(scope: .team, subject: "closed-team", period: .monthly, limit: Money(usd: 100), onStoreFailure: .closed),
            ]
        }
        func burst(_ team: String, _ n: Int) async -> [Int: Int] {
            await withTaskGroup(of: Int.self) { group in
                for _ in 0..<n { group.addTask { (try? await router.post(SpendFixtures.chat(), headers: SpendFixtures.team(team)).status) ?? 0 } }
                return await group.reduce(into: [:]) { $0[$1, default: 0] += 1 }
            }
        }
        let healthyOpen = await burst("open-team", 10)
        let healthyClosed = await burst("closed-team", 10)
        XCTAssertEqual(healthyOpen, [200: 10])
        XCTAssertEqual(healthyClosed, [200: 10])

        // Stop Redis while the open team is under load.
        async let during = burst("open-team", 60)
        redis.stop()
        let duringOpen = await during
        XCTAssertEqual(duringOpen, [200: 60], "fail-open keeps serving through the outage")
        let downOpen = await burst("open-team", 20)
        XCTAssertEqual(downOpen, [200: 20])
        let downClosed = await burst("closed-team", 20)
        XCTAssertEqual(downClosed, [503: 20], "fail-closed refuses while the store is down")
        let refused = try await router.post(SpendFixtures.chat(), headers: SpendFixtures.team("closed-team"))
        XCTAssertEqual(refused.json?["error"]?["code"]?.stringValue, "budget_store_unavailable")
        XCTAssertEqual(refused.header("retry-after"), "1")
        XCTAssertTrue(refused.json?["error"]?["message"]?.stringValue?.contains("budget store is unreachable") ?? false, refused.text)

        // Redis comes back on the same port: bounded polling until the closed team is served.
        try redis.start()
        var recovered = false
        for _ in 0..<200 where !recovered {
            recovered = (try? await router.post(SpendFixtures.chat(), headers: SpendFixtures.team("closed-team")).status) == 200
            if !recovered { try await Task.sleep(for: .milliseconds(25)) }
        }
        XCTAssertTrue(recovered, "the router uses Redis again by itself")
        let healthyAgain = await burst("open-team", 5)
        XCTAssertEqual(healthyAgain, [200: 5])
        // A call checked against Redis hands over whatever is still only in the local ledger.
        let flush = try await router.post(SpendFixtures.chat(), headers: SpendFixtures.team("open-team"))
        XCTAssertEqual(flush.status, 200)
        let metrics = try await router.request("GET", "/metrics").text
        XCTAssertTrue(metrics.contains(#"finops_router_state_store_failures_total{operation="preflight",outcome="fail_closed"}"#), metrics)

        let rows = try await router.stopAndReadRows()
        await mock.stop()
        let openRows = rows.filter { $0.team == "open-team" && $0.status == .ok }
        // Spend served on the local ledger during the outage was added to Redis afterwards.
        let redisClient = try RedisConnection(host: "127.0.0.1", port: redis.port, timeoutMs: 2_000)
        let key = "finops:{default}:budget:team:open-team:\(BudgetPeriod.monthly.window(at: Date()).id)"
        guard case .string(let counted) = try redisClient.command(["GET", key]) else { return XCTFail("no counter") }
        // (The restarted Redis keeps no data, so what was counted before the crash is gone.)
        let inRedis = Money(nanos: Int64(counted) ?? 0)
        let unchecked = openRows.filter(\.budgetUnchecked).reduce(Money.zero) { $0 + $1.cost }
        XCTAssertGreaterThanOrEqual(inRedis, unchecked + Money(nanos: 6 * 24_300), "outage spend replayed, plus the calls after it")
        XCTAssertLessThanOrEqual(inRedis, openRows.reduce(Money.zero) { $0 + $1.cost })
        XCTAssertEqual(openRows.count, 96)
        XCTAssertGreaterThanOrEqual(openRows.filter(\.budgetUnchecked).count, 20, "outage rows are marked budget_unchecked")
        XCTAssertTrue(rows.filter { $0.team == "closed-team" && $0.status == .ok }.allSatisfy { !$0.budgetUnchecked })
        XCTAssertGreaterThanOrEqual(rows.filter { $0.httpStatus == 503 }.count, 21, "20 in the burst, 1 checked, then any while recovering")
    }
}
