import FinOpsCore
import XCTest

/// Clock-driven: `now` is passed in, nothing sleeps.
final class CircuitBreakerTests: XCTestCase {
    func settings() -> CircuitBreaker.Settings {
        var s = CircuitBreaker.Settings()
        s.failureThreshold = 3
        s.failureRatio = 0.5
        s.minimumRequests = 10
        s.windowSeconds = 60
        s.openDuration = 30
        s.maxOpenDuration = 100
        return s
    }

    func testOpensAfterConsecutiveFailuresAndRejectsWhileOpen() {
        var b = CircuitBreaker(settings: settings())
        for t in 0..<2 { XCTAssertTrue(b.allowRequest(now: Double(t))); b.recordFailure(now: Double(t)) }
        XCTAssertEqual(b.state, .closed)
        b.recordFailure(now: 2)
        XCTAssertEqual(b.state, .open)
        XCTAssertFalse(b.allowRequest(now: 10))
        XCTAssertEqual(b.retryAfter(now: 10), 22, accuracy: 1e-9)
    }

    func testSuccessResetsTheConsecutiveCount() {
        var b = CircuitBreaker(settings: settings())
        b.recordFailure(now: 0); b.recordFailure(now: 1); b.recordSuccess(now: 2)
        b.recordFailure(now: 3); b.recordFailure(now: 4)
        XCTAssertEqual(b.state, .closed)
    }

    func testOpensOnErrorRatioInTheWindow() {
        var b = CircuitBreaker(settings: settings())
        // Alternate success/failure: never 3 in a row, but 50% of 10 calls.
        for t in 0..<9 { if t % 2 == 0 { b.recordFailure(now: Double(t)) } else { b.recordSuccess(now: Double(t)) } }
        XCTAssertEqual(b.state, .closed, "9 calls are below the minimum")
        b.recordSuccess(now: 9)
        b.recordFailure(now: 10)
        XCTAssertEqual(b.state, .open)
    }

    func testOldOutcomesLeaveTheWindow() {
        var b = CircuitBreaker(settings: settings())
        for t in 0..<9 { if t % 2 == 0 { b.recordFailure(now: Double(t)) } else { b.recordSuccess(now: Double(t)) } }
        // 100 s later the old failures no longer count.
        for t in 0..<9 { b.recordSuccess(now: 100 + Double(t)) }
        b.recordFailure(now: 110)
        XCTAssertEqual(b.state, .closed)
    }

    func testHalfOpenProbeClosesOnSuccess() {
        var b = CircuitBreaker(settings: settings())
        for t in 0..<3 { b.recordFailure(now: Double(t)) }
        XCTAssertFalse(b.allowRequest(now: 31.9))
        XCTAssertTrue(b.allowRequest(now: 32), "after openDuration one probe goes through")
        XCTAssertEqual(b.state, .halfOpen)
        XCTAssertFalse(b.allowRequest(now: 32.1), "only one probe at a time")
        b.recordSuccess(now: 33)
        XCTAssertEqual(b.state, .closed)
        XCTAssertTrue(b.allowRequest(now: 33))
    }

    func testFailedProbeReopensWithLongerWait() {
        var b = CircuitBreaker(settings: settings())
        for t in 0..<3 { b.recordFailure(now: Double(t)) }
        XCTAssertTrue(b.allowRequest(now: 40))
        b.recordFailure(now: 40)
        XCTAssertEqual(b.state, .open)
        XCTAssertFalse(b.allowRequest(now: 99), "open time doubled to 60 s")
        XCTAssertTrue(b.allowRequest(now: 100))
        b.recordFailure(now: 100)
        XCTAssertEqual(b.retryAfter(now: 100), 100, accuracy: 1e-9, "capped at maxOpenDuration")
    }
}
