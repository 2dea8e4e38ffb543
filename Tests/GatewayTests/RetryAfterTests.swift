@testable import Upstream
import Foundation
import XCTest

final class RetryAfterTests: XCTestCase {
    func testSecondsAndHTTPDate() {
        XCTAssertEqual(RetryAfter.seconds("4"), 4)
        XCTAssertEqual(RetryAfter.seconds(" 1.5 "), 1.5)
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        let later = "Wed, 18 Nov 2026 11:06:50 GMT"  // 1_795_000_010
        XCTAssertEqual(RetryAfter.seconds(later, now: now) ?? -1, 10, accuracy: 0.001)
        XCTAssertEqual(RetryAfter.seconds("Wed, 18 Nov 2026 11:06:30 GMT", now: now), 0, "a date in the past means now")
        XCTAssertNil(RetryAfter.seconds("soon"))
    }
}
