import FinOpsCore
import Foundation
import Storage
import XCTest

/// The same rules against both stores: the in-memory one always, Redis when
/// FINOPS_TEST_REDIS_URL is set (scripts/test starts one).
final class StateStoreTests: XCTestCase {
    func stores() throws -> [(String, any StateStore)] {
        var out: [(String, any StateStore)] = [("memory", try MemoryStateStore())]
        if let url = ProcessInfo.processInfo.environment["FINOPS_TEST_REDIS_URL"], let endpoint = RedisPool.Endpoint.parse(url) {
            out.append(("redis", RedisStateStore(endpoint: endpoint, poolSize: 2, timeoutMs: 500)))
        }
        return out
    }

    func testBudgetReserveRefuseAndSettle() async throws {
        for (name, store) in try stores() {
            let key = "finops:{test}:budget:team:\(UUID().uuidString):m2026-11"
            let line = BudgetLedger.Line(key: key, limit: Money(usd: 1), ttlSeconds: 60)
            var last: PreflightResult?
            for _ in 0..<4 { last = try await store.preflight(Preflight(rates: [], budgets: [line], amount: Money(usd: 0.3))) }
            XCTAssertEqual(last, .overBudget(index: 0, spent: Money(usd: 0.9)), name)
            try await store.settle(Settlement(budgetKeys: [key], delta: Money(usd: -0.25)))
            let v1 = try await store.spent([key])
            XCTAssertEqual(v1, [Money(usd: 0.65)], name)
            let ok = try await store.preflight(Preflight(rates: [], budgets: [line], amount: Money(usd: 0.35)))
            XCTAssertEqual(ok, .allowed(before: [Money(usd: 0.65)], rates: []), name)
        }
    }

    func testRateLimitRefusesWithoutChargingBudgets() async throws {
        for (name, store) in try stores() {
            let id = UUID().uuidString
            let rate = RateCheck(key: "finops:{test}:rate:team:\(id):rpm", limiter: GCRA(limit: 2), cost: 1)
            let budget = BudgetLedger.Line(key: "finops:{test}:budget:team:\(id):d", limit: nil, ttlSeconds: 60)
            let request = Preflight(rates: [rate], budgets: [budget], amount: Money(usd: 0.1))
            guard case .allowed(_, let d1) = try await store.preflight(request) else { return XCTFail(name) }
            XCTAssertEqual(d1.first?.remaining, 1, name)
            guard case .allowed = try await store.preflight(request) else { return XCTFail(name) }
            guard case .rateLimited(0, let refused) = try await store.preflight(request) else { return XCTFail(name) }
            XCTAssertGreaterThan(refused.retryAfterMs, 25_000, name)
            XCTAssertLessThanOrEqual(refused.retryAfterMs, 30_000, name)
            let v2 = try await store.spent([budget.key])
            XCTAssertEqual(v2, [Money(usd: 0.2)], "\(name): the refused call reserved nothing")
        }
    }

    func testConcurrentReservationsNeverPassTheLimit() async throws {
        for (name, store) in try stores() {
            let key = "finops:{test}:budget:team:\(UUID().uuidString):m"
            let line = BudgetLedger.Line(key: key, limit: Money(usd: 1), ttlSeconds: 60)
            let allowed = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<100 {
                    group.addTask {
                        if case .allowed = try? await store.preflight(Preflight(rates: [], budgets: [line], amount: Money(usd: 0.03))) { return true }
                        return false
                    }
                }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            XCTAssertEqual(allowed, 33, name)
            let v3 = try await store.spent([key])
            XCTAssertEqual(v3, [Money(usd: 0.99)], name)
        }
    }

    func testCacheRecordsAndLogs() async throws {
        for (name, store) in try stores() {
            let id = UUID().uuidString
            try await store.cacheSet("finops:cache:t:\(id)", "{\"a\":1}", ttlSeconds: 60)
            let v4 = try await store.cacheGet("finops:cache:t:\(id)")
            XCTAssertEqual(v4, "{\"a\":1}", name)
            let v5 = try await store.cacheGet("finops:cache:t:missing-\(id)")
            XCTAssertNil(v5, name)
            try await store.recordPut("test-\(id)", id: "k1", json: "{}")
            let v6 = try await store.recordAll("test-\(id)")
            XCTAssertEqual(v6, ["k1": "{}"], name)
            try await store.recordDelete("test-\(id)", id: "k1")
            let gone = try await store.recordGet("test-\(id)", id: "k1")
            XCTAssertNil(gone, name)
            for i in 0..<3 { try await store.logAppend("log-\(id)", json: "\(i)") }
            let tail = try await store.logRead("log-\(id)", limit: 2)
            XCTAssertEqual(tail, ["1", "2"], name)
            try await store.ping()
        }
    }

    func testFeedsAreReadFromACursorAndCapped() async throws {
        for (name, store) in try stores() {
            let feed = "test-\(UUID().uuidString)"
            for i in 0..<5 { try await store.feedAppend(feed, "e\(i)", maxLength: 1000) }
            let first = try await store.feedRead(feed, after: nil, limit: 3)
            XCTAssertEqual(first.entries, ["e0", "e1", "e2"], name)
            let rest = try await store.feedRead(feed, after: first.cursor, limit: 10)
            XCTAssertEqual(rest.entries, ["e3", "e4"], name)
            let none = try await store.feedRead(feed, after: rest.cursor, limit: 10)
            XCTAssertEqual(none.entries, [], name)
            try await store.feedAppend(feed, "e5", maxLength: 1000)
            let more = try await store.feedRead(feed, after: none.cursor ?? rest.cursor, limit: 10)
            XCTAssertEqual(more.entries, ["e5"], name)
        }
    }

    func testRecordsSurviveARestartOfTheMemoryStore() async throws {
        let path = try temporaryDirectory(self).appendingPathComponent("admin.json").path
        let first = try MemoryStateStore(recordsPath: path)
        try await first.recordPut("virtual_keys", id: "abc", json: "{\"id\":\"key_1\"}")
        try await first.logAppend("audit", json: "{\"action\":\"key.create\"}")
        let second = try MemoryStateStore(recordsPath: path)
        let rec = try await second.recordGet("virtual_keys", id: "abc")
        XCTAssertEqual(rec, "{\"id\":\"key_1\"}")
        let log = try await second.logRead("audit", limit: 10)
        XCTAssertEqual(log, ["{\"action\":\"key.create\"}"])
    }

    func testUnreachableRedisFailsFastWithAStorageError() async throws {
        let store = RedisStateStore(endpoint: .init(host: "127.0.0.1", port: 1), poolSize: 1, timeoutMs: 50)
        let started = ContinuousClock.now
        do {
            _ = try await store.preflight(Preflight(rates: [], budgets: [], amount: .zero))
            XCTFail("expected an error")
        } catch let error as StorageError {
            XCTAssertEqual(error.kind, .redis)
        }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(1))
        XCTAssertEqual(RedisPool.Endpoint.parse("redis://10.0.0.5:6380/2"), .init(host: "10.0.0.5", port: 6380, database: 2))
        XCTAssertNil(RedisPool.Endpoint.parse("redis://user:pw@h:1"))
    }
}
