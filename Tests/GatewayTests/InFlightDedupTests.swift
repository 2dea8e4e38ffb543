import FinOpsCore
import XCTest

final class InFlightDedupTests: XCTestCase {
    func testIdenticalConcurrentRequestsShareOneUpstreamCall() async throws {
        let mock = try MockUpstream(.delayed(.seconds(1), Fixtures.chatCompletion))
        let router = try RouterHarness(upstream: mock.baseURL)
        let body = Fixtures.chatRequest(content: "same prompt")
        let replies = try await withThrowingTaskGroup(of: RouterHarness.Reply.self) { group in
            for _ in 0..<5 { group.addTask { try await router.post(body, headers: [("X-FinOps-Dedup", "on")]) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(replies.map(\.status), Array(repeating: 200, count: 5))
        XCTAssertEqual(Set(replies.map(\.text)).count, 1, "everyone gets the same answer")
        XCTAssertEqual(mock.requests.count, 1, "one upstream call for five identical requests")
        XCTAssertEqual(replies.filter { $0.header("x-finops-cache") == "dedup" }.count, 4)

        // Without the opt-in each request is its own call.
        _ = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<3 { group.addTask { try await router.post(body).status } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(mock.requests.count, 4)

        let rows = try await router.stopAndReadRows()
        await mock.stop()
        let dedupRows = rows.filter { $0.cache == "dedup" }
        XCTAssertEqual(dedupRows.count, 4)
        XCTAssertTrue(dedupRows.allSatisfy { $0.cost == .zero && $0.baselineCost == Money(nanos: 24_300) })
        XCTAssertEqual(rows.filter { $0.cache == "miss" }.count, 4)
    }

    func testDifferentTeamsAreNotMerged() async throws {
        let mock = try MockUpstream(.delayed(.seconds(1), Fixtures.chatCompletion))
        let router = try RouterHarness(upstream: mock.baseURL) { $0.dedupTeams = ["a", "b"] }
        let body = Fixtures.chatRequest(content: "same prompt")
        _ = try await withThrowingTaskGroup(of: Int.self) { group in
            for team in ["a", "a", "b", "b"] {
                group.addTask { try await router.post(body, headers: [("X-FinOps-Team", team)]).status }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(mock.requests.count, 2, "one call per team")
        await router.stop()
        await mock.stop()
    }
}
