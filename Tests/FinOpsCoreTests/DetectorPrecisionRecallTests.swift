import FinOpsCore
import XCTest

/// Precision and recall of each detector, with its default settings, on synthetic series with
/// planted anomalies and on clean noisy, seasonal and sparse-count series (fixed seeds). Each
/// spike detector judges every hour of the last three days of every series using only the
/// history before that hour; the drift detector judges the last hour of each series. The
/// numbers are printed for the record (issue 8's note, ADR 0025).
final class DetectorPrecisionRecallTests: XCTestCase {
    func testSpikeDetectorsReachNinetyPercentPrecisionAndRecall() {
        let suite = SyntheticSeriesSuite.make(seed: 20_261_120)
        let spike = RobustSpikeDetector(), iqr = IQROutlierDetector(), pattern = HourOfWeekDetector()
        var scores: [String: DetectionScore] = [:]
        var byFamily: [String: DetectionScore] = [:]
        for series in suite {
            let optional = series.values.map { Optional($0) }
            for index in SyntheticSeriesSuite.judged {
                let truth = series.spikes.contains(index)
                let first = SyntheticSeriesSuite.firstHour
                let fired: [(String, Bool)] = [
                    ("robust_z", spike.evaluate(hourly: optional, at: index, firstHour: first) != nil),
                    ("iqr", iqr.evaluate(hourly: optional, at: index, firstHour: first) != nil),
                    ("hour_of_week", pattern.evaluate(hourly: optional, at: index, firstHour: first) != nil),
                ]
                for (name, f) in fired {
                    scores[name, default: DetectionScore()].add(fired: f, truth: truth)
                    byFamily["\(name)/\(series.family.rawValue)", default: DetectionScore()].add(fired: f, truth: truth)
                }
            }
        }
        for (name, score) in byFamily.sorted(by: { $0.key < $1.key }) { print("detector \(name): \(score)") }
        for name in ["robust_z", "iqr", "hour_of_week"] {
            let score = scores[name]!
            print("detector \(name) (all families): \(score)")
            XCTAssertGreaterThanOrEqual(score.precision, 0.9, "\(name) precision: \(score)")
            XCTAssertGreaterThanOrEqual(score.recall, 0.9, "\(name) recall: \(score)")
        }
    }

    func testDriftDetectorReachesNinetyPercentPrecisionAndRecall() {
        let suite = SyntheticDriftSuite.make(seed: 7_2026, counts: [
            .drifted: 120, .clean: 120, .oneHourSpike: 40, .twoHourBlip: 40, .drop: 20, .recovered: 20,
        ])
        let drift = DriftDetector()
        var score = DetectionScore()
        var byShape: [String: DetectionScore] = [:]
        for series in suite {
            let fired = drift.evaluate(values: series.values, requests: series.requests) != nil
            score.add(fired: fired, truth: series.isDrift)
            byShape[series.shape.rawValue, default: DetectionScore()].add(fired: fired, truth: series.isDrift)
        }
        for (shape, s) in byShape.sorted(by: { $0.key < $1.key }) {
            print("detector drift/\(shape): fired on \(s.truePositives + s.falsePositives) of \(s.judgedHours) series")
        }
        print("detector drift: \(score)")
        XCTAssertGreaterThanOrEqual(score.precision, 0.9, "drift precision: \(score)")
        XCTAssertGreaterThanOrEqual(score.recall, 0.9, "drift recall: \(score)")
    }
}
