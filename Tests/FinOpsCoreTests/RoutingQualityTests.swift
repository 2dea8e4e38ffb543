import XCTest
@testable import FinOpsCore

final class RoutingQualityTests: XCTestCase {
    // Weak right on 0 and 2, strong right on 0, 1 and 3: W = 0.5, S = 0.75.
    let weak = [true, false, true, false]
    let strong = [true, true, false, true]

    func testOracleSweepByHand() {
        // Strong-first order 1, 3, 0, 2 → quality 0.5, 0.75, 1.0, 1.0, 0.75.
        let m = RoutingQuality.oracle(weak: weak, strong: strong)
        XCTAssertEqual(m.savingsAt95, 0.75, "0.95 × 0.75 is reached with one prompt of four on strong")
        XCTAssertEqual(m.cpt50, 0.25)
        XCTAssertEqual(m.cpt80, 0.25)
        // Gap recovered 0, 1, 2, 2, 1 → trapezoids (0.5 + 1.5 + 2 + 1.5) / 4.
        XCTAssertEqual(m.apgr, 1.375, accuracy: 1e-12)
    }

    func testRandomRouterIsTheDiagonal() {
        let m = RoutingQuality.random(weak: weak, strong: strong)
        XCTAssertEqual(m.apgr, 0.5, accuracy: 1e-12)
        XCTAssertEqual(m.cpt50, 0.5)
        XCTAssertEqual(m.cpt80, 1.0, "0.6875 < 0.7 at three of four")
        XCTAssertEqual(m.savingsAt95, 0)
    }

    func testScoresOrderTheSweepAndTiesKeepInputOrder() {
        let worst = RoutingQuality.of(scores: [0, 0, 1, 0], weak: weak, strong: strong)
        XCTAssertEqual(worst.cpt50, 1.0, "order 2, 0, 1, 3 → quality 0.5, 0.25, 0.25, 0.5, 0.75: only all-strong recovers half the gap")
        let tied = RoutingQuality.of(scores: [1, 1, 1, 1], weak: weak, strong: strong)
        XCTAssertEqual(tied.cpt50, 0.5, "input order: 0 (no change), then 1")
        XCTAssertEqual(RoutingQuality.accuracies(weak, strong).weak, 0.5)
    }
}
