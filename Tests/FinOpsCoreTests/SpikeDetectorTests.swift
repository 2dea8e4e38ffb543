import FinOpsCore
import XCTest

/// The detectors on hand-made series: what fires, what does not, and the evidence numbers.
final class SpikeDetectorTests: XCTestCase {
    /// Two weeks and a day of a steady 100 ± a little, with a weekday business-hours shape.
    private func series(spikeAt spike: Int? = nil, add: Double = 0) -> [Double?] {
        var rng = SplitMix64(seed: 7)
        return (0..<(15 * 24)).map { i -> Double? in
            let day = (i / 24) % 7, h = i % 24
            let level = day < 5 && h >= 8 && h < 19 ? 250.0 : 20.0
            return level * (1 + 0.05 * rng.normal()) + (i == spike ? add : 0)
        }
    }
    /// Index 0 is a Monday 00:00 UTC.
    private let monday = 96 + 168 * 2_900

    func testRobustStatistics() {
        XCTAssertEqual(RobustStatistics.median([3, 1, 2, 100]), 2.5)
        XCTAssertEqual(RobustStatistics.quantile(sorted: [1, 2, 3, 4, 5], 0.25), 2)
        XCTAssertEqual(RobustStatistics.medianAbsoluteDeviation([1, 2, 3, 4, 100], around: 3), 1)
        XCTAssertEqual(RobustStatistics.robustSigma([1, 2, 3, 4, 100], around: 3), 1.4826, accuracy: 1e-9)
        XCTAssertEqual(RobustStatistics.robustSigma([0, 0, 0, 0, 8], around: 0), 1.253314 * 8 / 5, accuracy: 1e-9, "MAD 0: mean AD")
        XCTAssertEqual(RobustStatistics.robustSigma([5, 5, 5], around: 5), 0)
        XCTAssertNil(RobustStatistics.median([]))
    }

    func testDaySlotsSeparateWeekdaysWeekendsAndHours() {
        XCTAssertEqual(SeasonalResiduals.slot(absoluteHour: monday + 10, .dayType), 10)
        XCTAssertEqual(SeasonalResiduals.slot(absoluteHour: monday + 5 * 24 + 10, .dayType), 34, "Saturday")
        XCTAssertEqual(SeasonalResiduals.slot(absoluteHour: monday + 2 * 24 + 3, .hourOfWeek), 51)
        XCTAssertEqual(SeasonalResiduals.slot(absoluteHour: 0, .hourOfWeek), 3 * 24, "1970-01-01 was a Thursday")
    }

    func testASpikeFiresEveryDetectorWithItsEvidence() throws {
        let index = 14 * 24 + 11   // Monday 11:00 of the third week
        let values = series(spikeAt: index, add: 500)
        let z = try XCTUnwrap(RobustSpikeDetector().evaluate(hourly: values, at: index, firstHour: monday))
        XCTAssertEqual(z.detector, .robustZ)
        XCTAssertEqual(z.observed, values[index]!)
        XCTAssertEqual(z.baseline, 250, accuracy: 15, "the median of Monday-to-Friday 11:00s, not of the whole window")
        XCTAssertGreaterThan(z.score, 6)
        XCTAssertLessThan(z.limit, z.observed)
        XCTAssertEqual(z.windowHours, 336)
        XCTAssertEqual(z.labels["robust_z.window_hours"], "336")
        let iqr = try XCTUnwrap(IQROutlierDetector().evaluate(hourly: values, at: index, firstHour: monday))
        XCTAssertGreaterThan(try XCTUnwrap(iqr.extra["q3"]), try XCTUnwrap(iqr.extra["q1"]))
        XCTAssertGreaterThan(iqr.observed, iqr.limit)
        XCTAssertNotNil(iqr.labels["iqr.fence_distance"])
        let how = try XCTUnwrap(HourOfWeekDetector().evaluate(hourly: values, at: index, firstHour: monday))
        XCTAssertEqual(how.extra["weeks"], 2)
        XCTAssertEqual(how.baseline, 250, accuracy: 15)
    }

    func testBusinessHoursAndQuietNightsAreNotSpikes() {
        let values = series()
        for index in (14 * 24)..<(15 * 24) {
            XCTAssertNil(RobustSpikeDetector().evaluate(hourly: values, at: index, firstHour: monday), "hour \(index % 24)")
            XCTAssertNil(IQROutlierDetector().evaluate(hourly: values, at: index, firstHour: monday), "hour \(index % 24)")
            XCTAssertNil(HourOfWeekDetector().evaluate(hourly: values, at: index, firstHour: monday), "hour \(index % 24)")
        }
    }

    func testSmallMovesAndShortHistoriesAreNotJudged() {
        let index = 14 * 24 + 11
        XCTAssertNil(RobustSpikeDetector().evaluate(hourly: series(spikeAt: index, add: 60), at: index, firstHour: monday),
                     "+24% is within minIncrease")
        XCTAssertNil(RobustSpikeDetector().evaluate(hourly: Array(series(spikeAt: 30, add: 5_000).prefix(31)), at: 30, firstHour: monday),
                     "30 hours of history < minPoints")
        XCTAssertNil(HourOfWeekDetector().evaluate(hourly: series(spikeAt: 200, add: 5_000), at: 200, firstHour: monday),
                     "one week is not enough to compare weeks")
        XCTAssertNil(RobustSpikeDetector().evaluate(hourly: series(spikeAt: index, add: -200), at: index, firstHour: monday), "drops are not spikes")
    }

    func testDriftNeedsConsecutiveBusyElevatedHours() throws {
        var rng = SplitMix64(seed: 3)
        var values = (0..<180).map { _ -> Double? in 0.01 * (1 + 0.05 * rng.normal()) }
        var requests = Array(repeating: 100, count: 180)
        for i in 175..<180 { values[i] = values[i]! * 1.5 }
        let e = try XCTUnwrap(DriftDetector().evaluate(values: values, requests: requests))
        XCTAssertEqual(e.extra["consecutive_hours"], 5)
        XCTAssertEqual(e.extra["recent_requests"], 500)
        XCTAssertEqual(e.extra["change_ratio"] ?? 0, 0.5, accuracy: 0.06)
        XCTAssertEqual(e.baseline, 0.01, accuracy: 0.0005)
        requests[177] = 3   // a quiet hour in the run neither counts nor breaks it
        XCTAssertEqual(DriftDetector().evaluate(values: values, requests: requests)?.extra["consecutive_hours"], 4)
        values[178] = 0.01  // a normal busy hour breaks it
        XCTAssertNil(DriftDetector().evaluate(values: values, requests: requests))
    }
}
