import Foundation

/// A reporting window such as `7d`, `30d` or `24h`, ending at `end`: `[end - length, end)`.
public struct ReportPeriod: Sendable, Equatable, CustomStringConvertible {
    public var hours: Int
    public var end: Date

    /// Parses `<n>d` or `<n>h` (1 hour to 3 years). `end` defaults to the end of the current
    /// UTC hour, so the window includes the hour in progress and lines up with hourly rollups.
    public init?(_ text: String, end: Date? = nil, now: Date = Date()) {
        guard let unit = text.last, let n = Int(text.dropLast()), n > 0 else { return nil }
        switch unit {
        case "d", "D": hours = n * 24
        case "h", "H": hours = n
        default: return nil
        }
        guard hours <= 3 * 366 * 24 else { return nil }
        let hour = SpendRollup.Granularity.hour
        let endOfHour = hour.bucketStart(now).addingTimeInterval(3_600)
        self.end = end.map { hour.bucketStart($0) == $0 ? $0 : hour.bucketStart($0).addingTimeInterval(3_600) } ?? endOfHour
    }

    public var start: Date { end.addingTimeInterval(-Double(hours) * 3_600) }

    public var description: String {
        hours % 24 == 0 ? "\(hours / 24)d" : "\(hours)h"
    }
}
