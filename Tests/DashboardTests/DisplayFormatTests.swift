@testable import Dashboard
import FinOpsCore
import XCTest

final class DisplayFormatTests: XCTestCase {
    func testMoneyReadsLikeAnExecutiveSummary() {
        let cases: [(Double, String)] = [
            (0, "$0"), (12_345, "$12.3k"), (1_234, "$1.23k"), (999_499, "$999k"), (999_500, "$1M"), (4_560_000, "$4.56M"),
            (2.5e9, "$2.5B"), (12.3456, "$12.35"), (0.42, "$0.42"), (0.0136, "$0.014"), (0.0042, "$0.0042"),
            (0.000011, "$0.000011"), (-12_345, "-$12.3k"), (-0.5, "-$0.50"), (.infinity, "—"),
        ]
        for (value, text) in cases { XCTAssertEqual(DisplayFormat.usd(value), text, "\(value)") }
        XCTAssertEqual(DisplayFormat.money(Money(nanos: 12_300_000_000_000)), "$12.3k")
        XCTAssertEqual(DisplayFormat.usdTick(30), "$30")
        XCTAssertEqual(DisplayFormat.usdTick(2.5), "$2.5")
        XCTAssertEqual(DisplayFormat.usdTick(1_500), "$1.5k")
    }

    func testPercentChangeDurationAndCounts() {
        XCTAssertEqual(DisplayFormat.percent(0.41), "41%")
        XCTAssertEqual(DisplayFormat.percent(0.041), "4.1%")
        XCTAssertEqual(DisplayFormat.percent(0.0004), "0.04%")
        XCTAssertEqual(DisplayFormat.percent(0.000001), "<0.01%")
        XCTAssertEqual(DisplayFormat.percent(12.5), "1,250%")
        XCTAssertEqual(DisplayFormat.percent(-0.034), "-3.4%")
        XCTAssertEqual(DisplayFormat.percent(.nan), "—")
        XCTAssertEqual(DisplayFormat.change(0.12), "+12%")
        XCTAssertEqual(DisplayFormat.change(-0.5), "-50%")
        XCTAssertEqual(DisplayFormat.duration(ms: 0.42), "0.4 ms")
        XCTAssertEqual(DisplayFormat.duration(ms: 812.4), "812 ms")
        XCTAssertEqual(DisplayFormat.duration(ms: 1_234), "1.23 s")
        XCTAssertEqual(DisplayFormat.duration(ms: 12_345), "12.3 s")
        XCTAssertEqual(DisplayFormat.duration(ms: 150_000), "2.5 min")
        XCTAssertEqual(DisplayFormat.count(412), "412")
        XCTAssertEqual(DisplayFormat.count(12_345), "12.3k")
        XCTAssertEqual(DisplayFormat.count(1_234_567), "1.23M")
        XCTAssertEqual(DisplayFormat.grouped(1_234_567), "1,234,567")
        XCTAssertEqual(DisplayFormat.grouped(-1_000), "-1,000")
    }

    func testBucketLabelsAreUTC() {
        let t = CivilDate.parse("2026-11-28T10:00:00Z")!
        XCTAssertEqual(DisplayFormat.bucket(t, hourly: false), "Nov 28")
        XCTAssertEqual(DisplayFormat.bucket(t, hourly: true), "Nov 28 10:00")
        XCTAssertEqual(DisplayFormat.timestamp(t), "2026-11-28 10:00:00")
    }
}
