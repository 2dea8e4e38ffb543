import Foundation

extension Duration {
    /// Seconds as a Foundation `TimeInterval`, for `Date` deadlines and `NSCondition` waits.
    var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// Whole milliseconds, rounded down (for server settings such as `statement_timeout`).
    var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000 + attoseconds / 1_000_000_000_000_000
    }
}
