import Foundation

/// Hour slots of the window weighted by time of day (UTC business hours), weekday, and a
/// 1%-a-day growth trend; sampling picks a slot by weight, then a millisecond within it.
struct SeedHourlyWeights {
    let start: Date
    private var cumulative: [Double] = []

    init(end: Date, days: Int) {
        start = end.addingTimeInterval(-Double(days) * 86_400)
        var total = 0.0
        for hour in 0..<(days * 24) {
            let t = start.addingTimeInterval(Double(hour) * 3_600)
            let hourOfDay = Double(Int(t.timeIntervalSince1970 / 3_600) % 24)
            let weekday = (Int(t.timeIntervalSince1970 / 86_400) + 4) % 7  // 0 = Sunday (1970-01-01 was a Thursday)
            let daily = 0.12 + exp(-pow(hourOfDay - 14, 2) / (2 * 3.2 * 3.2))
            let weekly = weekday == 0 ? 0.3 : weekday == 6 ? 0.35 : 1.0
            total += daily * weekly * (1 + 0.01 * Double(hour / 24))
            cumulative.append(total)
        }
    }

    func sample(_ rng: inout SplitMix64) -> Date {
        let x = rng.unit() * (cumulative.last ?? 0)
        var low = 0, high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] <= x { low = mid + 1 } else { high = mid }
        }
        let ms = (rng.unit() * 3_600_000).rounded(.down)
        return start.addingTimeInterval(Double(low) * 3_600 + ms / 1_000)
    }
}
