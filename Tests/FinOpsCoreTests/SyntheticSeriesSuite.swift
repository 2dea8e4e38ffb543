import FinOpsCore
import Foundation

/// Synthetic hourly series with known anomalies, from fixed seeds, for measuring detectors.
/// Index 0 is a Monday 00:00; every series is five weeks long and judged on its last three days.
///
/// Families (clean ones have no anomaly at all):
/// - `noisy`: a flat level (10…1,000) with Gaussian noise of 5-25% of it;
/// - `seasonal`: business hours on weekdays (about 2.5× the mean), quiet nights (15%) and
///   weekends (35%), with 5-20% multiplicative noise: what a team's spend looks like;
/// - `counts`: Poisson request counts (1…20 an hour on average) with the same seasonality:
///   small teams, where an hour of zero calls is normal.
/// Anomalous series get two one-hour spikes in the judged window, at least 12 hours apart,
/// each adding 2-5 times the series' mean (counts: 3-6 times, at least +8 calls).
struct SyntheticSeriesSuite {
    enum Family: String, CaseIterable { case noisy, seasonal, counts }

    struct Series {
        var family: Family
        var values: [Double]
        /// Indices of the planted spikes (empty: a clean series).
        var spikes: Set<Int>
    }

    static let hours = 5 * 168
    /// Hours since the epoch of index 0: a Monday 00:00 UTC (1970-01-05 was one).
    static let firstHour = 96 + 168 * 2_900
    static let judged = (hours - 72)..<hours

    /// Weekday business-hours shape, mean ≈ 1 over a week.
    static func seasonalFactor(_ hour: Int) -> Double {
        let day = (hour / 24) % 7, h = hour % 24
        let weekday = day < 5
        let business = h >= 8 && h < 19
        let raw = weekday ? (business ? 2.6 : 0.15) : (business ? 0.45 : 0.12)
        return raw / 1.0
    }

    static func make(seed: UInt64, cleanPerFamily: Int = 30, anomalousPerFamily: Int = 30) -> [Series] {
        var rng = SplitMix64(seed: seed)
        var all: [Series] = []
        for family in Family.allCases {
            for i in 0..<(cleanPerFamily + anomalousPerFamily) {
                all.append(series(family, anomalous: i >= cleanPerFamily, rng: &rng))
            }
        }
        return all
    }

    static func series(_ family: Family, anomalous: Bool, rng: inout SplitMix64) -> Series {
        var values = [Double](repeating: 0, count: hours)
        switch family {
        case .noisy:
            let level = pow(10, 1 + 2 * rng.unit()), cv = 0.05 + 0.2 * rng.unit()
            for i in values.indices { values[i] = max(0, level * (1 + cv * rng.normal())) }
        case .seasonal:
            let level = pow(10, 1 + 2 * rng.unit()), cv = 0.05 + 0.15 * rng.unit()
            for i in values.indices { values[i] = max(0, level * seasonalFactor(i) * (1 + cv * rng.normal())) }
        case .counts:
            let level = 1 + 19 * rng.unit()
            for i in values.indices { values[i] = Double(poisson(level * seasonalFactor(i), &rng)) }
        }
        var spikes = Set<Int>()
        if anomalous {
            let mean = values.reduce(0, +) / Double(values.count)
            while spikes.count < 2 {
                let at = rng.int(in: judged.lowerBound...(judged.upperBound - 1))
                guard spikes.allSatisfy({ abs($0 - at) >= 12 }) else { continue }
                spikes.insert(at)
                let size = family == .counts ? max(8, (3 + 3 * rng.unit()) * mean) : (2 + 3 * rng.unit()) * mean
                values[at] += family == .counts ? size.rounded() : size
            }
        }
        return Series(family: family, values: values, spikes: spikes)
    }

    static func poisson(_ lambda: Double, _ rng: inout SplitMix64) -> Int {
        if lambda > 30 { return max(0, Int((lambda + lambda.squareRoot() * rng.normal()).rounded())) }
        let limit = exp(-lambda)
        var k = 0, p = 1.0
        repeat { k += 1; p *= rng.unit() } while p > limit
        return k - 1
    }
}

/// Per-detector confusion counts, hour by hour.
struct DetectionScore: CustomStringConvertible {
    var truePositives = 0, falsePositives = 0, falseNegatives = 0, judgedHours = 0

    var precision: Double { truePositives + falsePositives == 0 ? 1 : Double(truePositives) / Double(truePositives + falsePositives) }
    var recall: Double { truePositives + falseNegatives == 0 ? 1 : Double(truePositives) / Double(truePositives + falseNegatives) }

    mutating func add(fired: Bool, truth: Bool) {
        judgedHours += 1
        switch (fired, truth) {
        case (true, true): truePositives += 1
        case (true, false): falsePositives += 1
        case (false, true): falseNegatives += 1
        case (false, false): break
        }
    }

    var description: String {
        String(format: "precision %.3f recall %.3f (TP %d, FP %d, FN %d, %d judgements)",
               precision, recall, truePositives, falsePositives, falseNegatives, judgedHours)
    }
}
