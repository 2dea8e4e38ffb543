import FinOpsCore
import Foundation
import XCTest

/// Two routers on one Redis share the cache: exact entries directly, semantic ones through the
/// feed each replica reads into its own index.
final class SharedCacheTests: XCTestCase {
    func testOneReplicaAnswersFromWhatTheOtherCached() async throws {
        guard let redisURL = ProcessInfo.processInfo.environment["FINOPS_TEST_REDIS_URL"] else {
            throw XCTSkip("set FINOPS_TEST_REDIS_URL (scripts/test starts a Redis)")
        }
        let mock = try MockUpstream(.json(Fixtures.chatCompletion))
        let configure: (inout RouterConfig) -> Void = {
            $0.spend.state.redisURL = redisURL
            $0.spend.cache.enabled = true
            $0.spend.cache.semantic = true
        }
        let a = try RouterHarness(upstream: mock.baseURL, configure: configure)
        let b = try RouterHarness(upstream: mock.baseURL, configure: configure)
        let team = SpendFixtures.team("shared-cache-\(UUID().uuidString.prefix(8))")
        let question = "Which of our teams spent the most on GPUs in October?"

        let first = try await a.post(SpendFixtures.chat(question), headers: team)
        XCTAssertEqual(first.header("x-finops-cache"), "miss")
        let exact = try await b.post(SpendFixtures.chat(question), headers: team)
        XCTAssertEqual(exact.header("x-finops-cache"), "exact", "exact entries live in Redis")
        // b's feed reader picks a's entry up in the background: bounded polling (no-store, so
        // a miss here does not add b's own entry).
        var near: String?
        for _ in 0..<200 where near != "semantic" {
            near = try await b.post(SpendFixtures.chat("which of our teams spent the most on GPUs in october"),
                                    headers: team + [("Cache-Control", "no-store")]).header("x-finops-cache")
            if near != "semantic" { try await Task.sleep(for: .milliseconds(20)) }
        }
        XCTAssertEqual(near, "semantic", "b learned a's entry from the feed")
        let otherTeam = try await b.post(SpendFixtures.chat("which of our teams spent the most on GPUs in october"),
                                         headers: SpendFixtures.team("someone-else-\(UUID().uuidString.prefix(8))"))
        XCTAssertEqual(otherTeam.header("x-finops-cache"), "miss", "namespaces stay per team")
        await a.stop()
        await b.stop()
        await mock.stop()
    }
}
