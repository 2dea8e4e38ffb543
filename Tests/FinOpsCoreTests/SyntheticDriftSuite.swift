import FinOpsCore
import Foundation

/// Synthetic hourly per-request series (cost per request or p95 latency) with their request
/// volumes, for the drift detector. Index 0 is a Monday 00:00; each series ends on a Thursday at
/// 15:00 (the judged hour), with 7+ days of baseline before its recent hours.
///
/// Volume follows business hours (50-300 calls an hour, a tenth of that at night and at
/// weekends). The per-hour value is a level with noise that shrinks with volume (an hourly mean
/// over n calls: CV ≈ 0.6/√n, plus 4% of hour-to-hour mix changes).
/// - drifted: the last 4-7 hours are 40-100% higher (a model swap, a slower provider);
/// - clean, and clean-but-tricky: a single spiked last hour (×1.5-3), a two-hour blip (×1.6),
///   a sustained drop of 40% (good news is not drift), a rise that ended three hours ago.
struct SyntheticDriftSuite {
    enum Shape: String, CaseIterable { case drifted, clean, oneHourSpike, twoHourBlip, drop, recovered }

    struct Series {
        var shape: Shape
        var values: [Double?]
        var requests: [Int]
        var isDrift: Bool { shape == .drifted }
    }

    static let hours = 7 * 24 + 3 * 24 + 16

    static func make(seed: UInt64, counts: [Shape: Int]) -> [Series] {
        var rng = SplitMix64(seed: seed)
        var all: [Series] = []
        for shape in Shape.allCases {
            for _ in 0..<(counts[shape] ?? 0) { all.append(series(shape, rng: &rng)) }
        }
        return all
    }

    static func series(_ shape: Shape, rng: inout SplitMix64) -> Series {
        let peak = 50 + 250 * rng.unit()
        let level = 0.001 + 0.05 * rng.unit()
        var requests = [Int](repeating: 0, count: hours)
        var values = [Double?](repeating: nil, count: hours)
        for i in 0..<hours {
            let day = (i / 24) % 7, h = i % 24
            let busy = day < 5 && h >= 8 && h < 19
            requests[i] = SyntheticSeriesSuite.poisson(busy ? peak : peak / 10, &rng)
            guard requests[i] > 0 else { continue }
            let cv = (0.6 * 0.6 / Double(requests[i]) + 0.04 * 0.04).squareRoot()
            values[i] = max(level * 0.05, level * (1 + cv * rng.normal()))
        }
        let last = hours - 1
        func scale(_ range: ClosedRange<Int>, by factor: Double) {
            for i in range { values[i] = values[i].map { $0 * factor } }
        }
        switch shape {
        case .drifted:
            scale((last - rng.int(in: 3...6))...last, by: 1.4 + 0.6 * rng.unit())
        case .clean: break
        case .oneHourSpike: scale(last...last, by: 1.5 + 1.5 * rng.unit())
        case .twoHourBlip: scale((last - 1)...last, by: 1.6)
        case .drop: scale((last - 6)...last, by: 0.6)
        case .recovered: scale((last - 9)...(last - 3), by: 1.6)
        }
        return Series(shape: shape, values: values, requests: requests)
    }
}
