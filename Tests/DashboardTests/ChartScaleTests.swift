@testable import Dashboard
import XCTest

final class ChartScaleTests: XCTestCase {
    func testNiceTicksCoverTheDataOnRoundSteps() {
        XCTAssertEqual(LinearScale.niceTicks(min: 0, max: 94.6, count: 4), [0, 25, 50, 75, 100])
        let fifths = LinearScale.niceTicks(min: 0, max: 1, count: 5)
        XCTAssertEqual(fifths.count, 6)
        for (tick, want) in zip(fifths, [0, 0.2, 0.4, 0.6, 0.8, 1.0]) { XCTAssertEqual(tick, want, accuracy: 1e-9) }
        XCTAssertEqual(LinearScale.niceTicks(min: -12, max: 30, count: 4), [-20, 0, 20, 40], "negative savings: zero is a tick")
        XCTAssertEqual(LinearScale.niceTicks(min: 0, max: 0), [0, 1], "empty data")
        XCTAssertEqual(LinearScale.niceTicks(min: 7, max: 7, count: 2), [0, 5, 10], "one value: from zero")
        XCTAssertEqual(LinearScale.niceTicks(min: .nan, max: 3), [0, 1])
        for (lo, hi) in [(0.0, 0.0123), (3.0, 123_456.0), (-5.5, -0.1)] {
            let t = LinearScale.niceTicks(min: lo, max: hi)
            XCTAssertLessThanOrEqual(t.first!, lo)
            XCTAssertGreaterThanOrEqual(t.last!, hi)
            XCTAssertLessThanOrEqual(t.count, 12)
        }
    }

    func testNiceStepsAndMapping() {
        XCTAssertEqual(LinearScale.niceStep(0.23), 0.25)
        XCTAssertEqual(LinearScale.niceStep(3), 5)
        XCTAssertEqual(LinearScale.niceStep(1_100), 2_000)
        let y = LinearScale(domain: (0, 100), range: (200, 0))
        XCTAssertEqual(y(0), 200)
        XCTAssertEqual(y(25), 150)
        XCTAssertEqual(y(100), 0)
        let flat = LinearScale(domain: (5, 5), range: (0, 10))
        XCTAssertEqual(flat(5), 5, "a zero-width domain maps to the middle")
    }

    func testAxisLabelsKeepTheEndsAndFit() {
        XCTAssertEqual(XAxisLabels.indices(count: 5, maxLabels: 7), [0, 1, 2, 3, 4])
        let many = XAxisLabels.indices(count: 31, maxLabels: 4)
        XCTAssertEqual(many.first, 0)
        XCTAssertEqual(many.last, 30)
        XCTAssertLessThanOrEqual(many.count, 4)
        XCTAssertEqual(XAxisLabels.indices(count: 0, maxLabels: 4), [])
        XCTAssertEqual(XAxisLabels.indices(count: 1, maxLabels: 4), [0])
    }
}
