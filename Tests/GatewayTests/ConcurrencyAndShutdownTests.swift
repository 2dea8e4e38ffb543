import FinOpsCore
import Foundation
import XCTest

/// The server holds many slow upstream calls on suspended connections (no thread per request)
/// and drains in-flight work on shutdown.
final class ConcurrencyAndShutdownTests: XCTestCase {
    func testThousandConcurrentSlowUpstreamCallsWithFewThreads() async throws {
        raiseFileLimit()
        let mock = try MockUpstream(.delayed(.seconds(2), Fixtures.chatCompletion))
        let router = try RouterHarness(upstream: mock.baseURL) { $0.telemetry.queueCapacity = 4096 }
        let threadsBefore = processThreadCount()
        let started = ContinuousClock.now
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<1000 {
                group.addTask { try await router.post(Fixtures.chatRequest()).status }
            }
            // While all 1,000 are in flight, count threads: they must not grow with requests.
            var peakThreads = 0
            var collected: [Int] = []
            for try await status in group {
                if collected.isEmpty { peakThreads = processThreadCount() }
                collected.append(status)
            }
            XCTAssertLessThan(peakThreads, 100, "threads while 1,000 calls were in flight (before: \(threadsBefore))")
            return collected
        }
        let elapsed = ContinuousClock.now - started
        print("1,000 concurrent 2 s upstream calls: \(elapsed), threads before \(threadsBefore), now \(processThreadCount())")
        XCTAssertEqual(statuses.count, 1000)
        XCTAssertEqual(statuses.filter { $0 == 200 }.count, 1000)
        XCTAssertEqual(mock.requests.count, 1000)
        let rows = try await router.stopAndReadRows()
        await mock.stop()
        XCTAssertEqual(rows.count, 1000, "every call has its telemetry row")
    }

    func testShutdownLetsInFlightRequestsFinish() async throws {
        let mock = try MockUpstream(.delayed(.milliseconds(300), Fixtures.chatCompletion))
        let router = try RouterHarness(upstream: mock.baseURL)
        async let reply = router.post(Fixtures.chatRequest())
        // Wait until the router holds the request, then stop it.
        while router.app.inFlightRequests == 0 { await Task.yield() }
        await router.app.shutdown()
        let finished = try await reply
        XCTAssertEqual(finished.status, 200, "the in-flight request completed during the drain")
        let refused = try? await router.request("GET", "/healthz", timeout: .seconds(2))
        XCTAssertNil(refused, "no new connections after shutdown")
        let rows = try await router.stopAndReadRows()
        await mock.stop()
        XCTAssertEqual(rows.count, 1)
    }

    func testShutdownLetsAnOpenStreamFinish() async throws {
        let router = try RouterHarness(upstream: nil) { config in
            config.simulator.latencyMedianMs = 1
            config.simulator.latencyP95Ms = 1
            config.simulator.tokensPerSecond = 2000
        }
        async let stream = router.postStream(Fixtures.chatRequest(stream: true))
        while router.app.inFlightRequests == 0 { await Task.yield() }
        await router.app.shutdown()
        let (head, text) = try await stream
        XCTAssertEqual(head.status, 200)
        XCTAssertTrue(text.hasSuffix("data: [DONE]\n\n"), "the stream ran to its end")
        await router.stop()
    }
}
