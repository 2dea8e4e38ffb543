import FinOpsCore
import Foundation

/// The time-range selector: the last 24 hours (hourly buckets), the last 7 or 30 days, or the
/// month to date (daily buckets, UTC). Every range ends with the bucket holding `now`, so the
/// current hour or day is the last point of each chart.
public struct DashboardRange: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case last24h = "24h", last7d = "7d", last30d = "30d", mtd

        public var label: String {
            switch self {
            case .last24h: "24 hours"
            case .last7d: "7 days"
            case .last30d: "30 days"
            case .mtd: "Month to date"
            }
        }
    }

    public static let defaultKind = Kind.last7d

    public var kind: Kind
    public var now: Date
    /// First bucket start (inclusive).
    public var from: Date
    /// End of the bucket holding `now` (exclusive).
    public var to: Date
    public var granularity: SpendRollup.Granularity

    public init(_ kind: Kind, now: Date) {
        self.kind = kind
        self.now = now
        switch kind {
        case .last24h:
            granularity = .hour
            to = SpendRollup.Granularity.hour.bucketStart(now).addingTimeInterval(3_600)
            from = to.addingTimeInterval(-24 * 3_600)
        case .last7d, .last30d:
            granularity = .day
            to = SpendRollup.Granularity.day.bucketStart(now).addingTimeInterval(86_400)
            from = to.addingTimeInterval(-Double(kind == .last7d ? 7 : 30) * 86_400)
        case .mtd:
            granularity = .day
            to = SpendRollup.Granularity.day.bucketStart(now).addingTimeInterval(86_400)
            from = BudgetPeriod.monthly.window(at: now).start
        }
    }

    /// Parses the `range` query value; nil (absent) = the default (7 days).
    public static func parse(_ text: String?, now: Date) throws(DashboardInputError) -> DashboardRange {
        guard let text else { return DashboardRange(defaultKind, now: now) }
        guard let kind = Kind(rawValue: text.lowercased()) else {
            throw DashboardInputError(parameter: "range", message: "range must be one of 24h, 7d, 30d, mtd")
        }
        return DashboardRange(kind, now: now)
    }

    public var hourly: Bool { granularity == .hour }

    /// Bucket starts, oldest first.
    public var buckets: [Date] {
        let step = Double(granularity.seconds)
        let n = Int((to.timeIntervalSince(from) / step).rounded())
        return (0..<max(0, n)).map { from.addingTimeInterval(Double($0) * step) }
    }

    /// The same length of time just before this range: the trailing baseline for drift.
    public var previous: (from: Date, to: Date) {
        (from.addingTimeInterval(-to.timeIntervalSince(from)), from)
    }

    /// Index of the bucket holding `date`, or nil outside the range.
    public func bucketIndex(_ date: Date) -> Int? {
        guard date >= from, date < to else { return nil }
        return Int(date.timeIntervalSince(from) / Double(granularity.seconds))
    }

    public var bucketLabels: [String] { buckets.map { DisplayFormat.bucket($0, hourly: hourly) } }
}

/// A query parameter the dashboard cannot use: answered with 400 and the parameter's name.
public struct DashboardInputError: Error, Equatable, CustomStringConvertible {
    public var parameter: String
    public var message: String
    public init(parameter: String, message: String) { self.parameter = parameter; self.message = message }
    public var description: String { message }
}
