import Foundation

/// Where spend will end a window (a month, usually), from what was spent so far and the
/// daily history. Two projections, because executives ask two questions:
/// - `linear`: the window's average rate so far, carried to its end ("at this pace");
/// - `weekdayAware`: the last seven complete days' level, shaped by the weekday pattern of the
///   last four weeks (weekends are quiet for most teams), added to what is already spent.
/// Pure: history and `now` are passed in. Money is projected in Double and rounded back to
/// nano-dollars: a forecast is an estimate, never booked.
public struct SpendForecast: Sendable, Equatable {
    public var windowStart: Date
    public var windowEnd: Date
    public var spentSoFar: Money
    public var linear: Money
    public var weekdayAware: Money
    /// Mean spend of the last seven complete days (nil with fewer than seven days of history).
    public var dailyRunRate: Money?

    /// The projection a threshold alert should use: the weekday-aware one when there was history
    /// enough for it, else the linear one.
    public var expected: Money { dailyRunRate == nil ? linear : weekdayAware }

    public init(windowStart: Date, windowEnd: Date, spentSoFar: Money, linear: Money, weekdayAware: Money,
                dailyRunRate: Money?) {
        self.windowStart = windowStart; self.windowEnd = windowEnd; self.spentSoFar = spentSoFar
        self.linear = linear; self.weekdayAware = weekdayAware; self.dailyRunRate = dailyRunRate
    }

    /// - Parameters:
    ///   - dailySpend: spend per UTC day, keyed by the day's start (today's partial included);
    ///     days missing from it spent nothing. Days before `windowStart` feed the pattern only.
    ///   - spentSoFar: the window's spend now (nil = the sum of `dailySpend` inside the window).
    public static func project(dailySpend: [Date: Money], spentSoFar: Money? = nil, windowStart: Date,
                               windowEnd: Date, now: Date) -> SpendForecast {
        let day = 86_400.0
        let today = floor(now.timeIntervalSince1970 / day) * day
        func spend(_ start: Double) -> Double { Double(dailySpend[Date(timeIntervalSince1970: start)]?.nanos ?? 0) }
        let inWindow = dailySpend.filter { $0.key >= windowStart && $0.key < windowEnd }.reduce(Int64(0)) { $0 + $1.value.nanos }
        let spent = spentSoFar ?? Money(nanos: inWindow)
        let length = windowEnd.timeIntervalSince(windowStart)
        let elapsed = min(max(now.timeIntervalSince(windowStart), 0), length)
        let linear = elapsed > 0 ? Double(spent.nanos) * length / elapsed : Double(spent.nanos)

        // Complete days of history before today, newest first, at most 28.
        let earliest = dailySpend.keys.map(\.timeIntervalSince1970).min() ?? today
        let completeDays = Int(max(0, (today - earliest) / day).rounded(.down))
        let history = (1...max(1, min(28, completeDays))).map { today - Double($0) * day }.filter { $0 >= earliest }
        guard history.count >= 7 else {
            return SpendForecast(windowStart: windowStart, windowEnd: windowEnd, spentSoFar: spent,
                                 linear: Money(nanos: Int64(linear.rounded())), weekdayAware: Money(nanos: Int64(linear.rounded())),
                                 dailyRunRate: nil)
        }
        let level = history.prefix(7).map(spend).reduce(0, +) / 7
        // Weekday weights: mean spend on that weekday over mean spend per day (1 = typical).
        let overall = history.map(spend).reduce(0, +) / Double(history.count)
        var weight = [Double](repeating: 1, count: 7)
        if overall > 0 {
            for weekday in 0..<7 {
                let days = history.filter { weekdayIndex($0) == weekday }.map(spend)
                if !days.isEmpty { weight[weekday] = days.reduce(0, +) / Double(days.count) / overall }
            }
        }
        // Rest of today: what a typical such day spends, minus what today already spent.
        var remaining = 0.0
        if today < windowEnd.timeIntervalSince1970 {
            remaining += max(0, level * weight[weekdayIndex(today)] - spend(today))
        }
        var next = today + day
        while next < windowEnd.timeIntervalSince1970 {
            if next >= windowStart.timeIntervalSince1970 { remaining += level * weight[weekdayIndex(next)] }
            next += day
        }
        return SpendForecast(windowStart: windowStart, windowEnd: windowEnd, spentSoFar: spent,
                             linear: Money(nanos: Int64(linear.rounded())),
                             weekdayAware: Money(nanos: spent.nanos + Int64(remaining.rounded())),
                             dailyRunRate: Money(nanos: Int64(level.rounded())))
    }

    /// 0 = Thursday (1970-01-01), the same for every replica regardless of locale.
    static func weekdayIndex(_ dayStart: Double) -> Int {
        let days = Int((dayStart / 86_400).rounded(.down))
        return ((days % 7) + 7) % 7
    }
}
