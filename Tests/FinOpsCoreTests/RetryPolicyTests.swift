import FinOpsCore
import XCTest

final class RetryPolicyTests: XCTestCase {
    func testFullJitterGrowsExponentiallyAndIsCapped() {
        var p = RetryPolicy()
        p.baseDelay = 0.1
        p.maxDelay = 1.0
        XCTAssertEqual(p.delay(retry: 1, retryAfter: nil, unitRandom: 1, remaining: 100)!, 0.1, accuracy: 1e-9)
        XCTAssertEqual(p.delay(retry: 2, retryAfter: nil, unitRandom: 1, remaining: 100)!, 0.2, accuracy: 1e-9)
        XCTAssertEqual(p.delay(retry: 3, retryAfter: nil, unitRandom: 0.5, remaining: 100)!, 0.2, accuracy: 1e-9)
        XCTAssertEqual(p.delay(retry: 10, retryAfter: nil, unitRandom: 1, remaining: 100)!, 1.0, accuracy: 1e-9)
        XCTAssertEqual(p.delay(retry: 4, retryAfter: nil, unitRandom: 0, remaining: 100)!, 0, accuracy: 1e-9)
    }

    func testRetryAfterIsHonouredButBounded() {
        var p = RetryPolicy()
        p.maxRetryAfter = 5
        XCTAssertEqual(p.delay(retry: 1, retryAfter: 3, unitRandom: 0.1, remaining: 100), 3)
        XCTAssertNil(p.delay(retry: 1, retryAfter: 30, unitRandom: 0.1, remaining: 100), "too long: move to the next provider")
    }

    func testNoRetryPastTheDeadline() {
        let p = RetryPolicy()
        XCTAssertNil(p.delay(retry: 1, retryAfter: 2, unitRandom: 0.5, remaining: 1.5))
    }
}
