import FinOpsCore
import Foundation
import XCTest

final class CivilDateTests: XCTestCase {
    func testKnownDates() {
        XCTAssertEqual(CivilDate.iso8601(Date(timeIntervalSince1970: 0)), "1970-01-01T00:00:00Z")
        XCTAssertEqual(CivilDate.iso8601(Date(timeIntervalSince1970: 1_767_225_599.9)), "2025-12-31T23:59:59Z")
        XCTAssertEqual(CivilDate.iso8601(Date(timeIntervalSince1970: 951_782_400)), "2000-02-29T00:00:00Z")
        XCTAssertEqual(CivilDate.iso8601(Date(timeIntervalSince1970: -1)), "1969-12-31T23:59:59Z")
    }

    func testDaysRoundTripForFourHundredYears() {
        for days in stride(from: -80_000, through: 80_000, by: 7) {
            let (y, m, d) = CivilDate.fromDaysSinceEpoch(days)
            XCTAssertEqual(CivilDate.daysSinceEpoch(year: y, month: m, day: d), days)
        }
    }

    func testParse() {
        XCTAssertEqual(CivilDate.parse("2026-11-23"), Date(timeIntervalSince1970: 1_795_392_000))
        XCTAssertEqual(CivilDate.parse("2026-11-23T14:00:00Z"), Date(timeIntervalSince1970: 1_795_442_400))
        XCTAssertEqual(CivilDate.parse("2026-11-23T14:30Z"), Date(timeIntervalSince1970: 1_795_444_200))
        XCTAssertNil(CivilDate.parse("yesterday"))
        XCTAssertNil(CivilDate.parse("2026-13-01"))
    }

    func testReportPeriodAlignsToHours() {
        let now = Date(timeIntervalSince1970: 1_795_442_400 + 1_234)  // 14:20:34
        let period = ReportPeriod("7d", now: now)
        XCTAssertEqual(period?.end, Date(timeIntervalSince1970: 1_795_446_000))  // 15:00
        XCTAssertEqual(period?.start, Date(timeIntervalSince1970: 1_795_446_000 - 7 * 86_400))
        XCTAssertEqual(ReportPeriod("36h", end: Date(timeIntervalSince1970: 1_795_442_400))?.hours, 36)
        XCTAssertEqual(ReportPeriod("30d")?.description, "30d")
        for bad in ["", "7", "d", "0d", "-1d", "7w", "99999d"] { XCTAssertNil(ReportPeriod(bad), bad) }
    }
}
