import FinOpsCore
import XCTest

final class DeliveryRetryPlanTests: XCTestCase {
    private let plan = DeliveryRetryPlan(maxAttempts: 5, baseSeconds: 30, maxSeconds: 600)
    private let now = Date(timeIntervalSince1970: 1_000)

    func testBackoffDoublesWithEqualJitterAndIsCapped() {
        XCTAssertEqual(plan.delay(afterAttempts: 1, unitRandom: 0), 15)
        XCTAssertEqual(plan.delay(afterAttempts: 1, unitRandom: 1), 30)
        XCTAssertEqual(plan.delay(afterAttempts: 3, unitRandom: 0.5), 90)
        XCTAssertEqual(plan.delay(afterAttempts: 10, unitRandom: 1), 600)
        XCTAssertEqual(plan.delay(afterAttempts: 10, unitRandom: 0), 300)
    }

    func testOutcomeRetriesUntilMaxAttemptsOrAPermanentRefusal() {
        XCTAssertEqual(plan.outcome(afterAttempts: 2, error: "HTTP 503", permanent: false, now: now, unitRandom: 1),
                       .retry(at: now.addingTimeInterval(60), error: "HTTP 503"))
        XCTAssertEqual(plan.outcome(afterAttempts: 5, error: "HTTP 503", permanent: false, now: now, unitRandom: 1), .failed(error: "HTTP 503"))
        XCTAssertEqual(plan.outcome(afterAttempts: 1, error: "HTTP 404", permanent: true, now: now, unitRandom: 1), .failed(error: "HTTP 404"))
        XCTAssertEqual([408, 429, 500, 503].map(DeliveryRetryPlan.isRetryable), [true, true, true, true])
        XCTAssertEqual([400, 401, 403, 404].map(DeliveryRetryPlan.isRetryable), [false, false, false, false])
    }
}
