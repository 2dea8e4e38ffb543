/// Calendar arithmetic on UTC days without `Calendar` (Howard Hinnant's algorithms): exact,
/// fast, and the same on every platform. Used for report days and FOCUS billing periods.
public enum CivilDate {
    /// (year, month 1-12, day 1-31) of a day counted from 1970-01-01.
    public static func fromDaysSinceEpoch(_ z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Days from 1970-01-01 to (year, month, day).
    public static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

extension CivilDate {
    /// `2026-11-23T14:00:00Z` (UTC, whole seconds).
    public static func iso8601(_ date: Date) -> String {
        let seconds = Int((date.timeIntervalSince1970).rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
        let (y, m, d) = fromDaysSinceEpoch(days)
        let s = seconds - days * 86_400
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, s / 3_600, s % 3_600 / 60, s % 60)
    }

    /// Parses `2026-11-23`, `2026-11-23T14:00:00Z` or `2026-11-23T14:00Z` (UTC).
    public static func parse(_ text: String) -> Date? {
        let parts = text.split(whereSeparator: { "-T:Z".contains($0) }).map { Int($0) }
        guard parts.count >= 3, parts.allSatisfy({ $0 != nil }) else { return nil }
        let v = parts.map { $0! }
        guard (1...12).contains(v[1]), (1...31).contains(v[2]) else { return nil }
        let days = daysSinceEpoch(year: v[0], month: v[1], day: v[2])
        let seconds = (v.count > 3 ? v[3] * 3_600 : 0) + (v.count > 4 ? v[4] * 60 : 0) + (v.count > 5 ? v[5] : 0)
        return Date(timeIntervalSince1970: Double(days * 86_400 + seconds))
    }
}

import Foundation
