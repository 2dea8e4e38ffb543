import FinOpsCore
import Foundation

/// Drift & anomalies: the alerts the scheduler raised in the range, and per team and use case
/// the cost per request and p95 latency in the range against the trailing baseline (the
/// period of the same length just before it). Pure, from rollup rows read once.
public struct DriftModel: Sendable {
    public struct Group: Sendable {
        public var team: String
        public var useCase: String
        public var current: SpendTotals
        public var baseline: SpendTotals
        public var series: [SpendTotals]

        /// Relative change of cost per request against the baseline (nil without both).
        public var costChange: Double? { Self.change(current.costPerRequestUSD, baseline.costPerRequestUSD) }
        public var p95Change: Double? { Self.change(current.p95, baseline.p95) }

        static func change(_ now: Double?, _ before: Double?) -> Double? {
            guard let now, let before, before > 0 else { return nil }
            return (now - before) / before
        }
    }

    public var range: DashboardRange
    public var alerts: [AlertRecord]
    /// The whole org per bucket, and over the baseline period.
    public var series: [SpendTotals]
    public var total: SpendTotals
    public var baseline: SpendTotals
    public var groups: [Group]

    /// - Parameter rows: rollups at the range's granularity from `range.previous.from` to `range.to`.
    public init(range: DashboardRange, rows: [SpendRollup], alerts: [AlertRecord]) {
        self.range = range
        self.alerts = alerts
        let current = OverviewModel.slice(rows, range.from, range.to)
        let before = OverviewModel.slice(rows, range.previous.from, range.previous.to)
        series = RollupGroups.series(current, range)
        total = RollupGroups.total(current)
        baseline = RollupGroups.total(before)
        struct Key: Hashable, Comparable {
            var team: String, useCase: String
            static func < (a: Key, b: Key) -> Bool { (a.team, a.useCase) < (b.team, b.useCase) }
        }
        let key = { (k: SpendRollup.Key) in Key(team: k.team, useCase: k.useCase) }
        let now = RollupGroups.by(current, key)
        let then = RollupGroups.by(before, key)
        let perBucket = RollupGroups.series(current, range, key)
        groups = Set(now.keys).union(then.keys).map { k in
            Group(team: k.team, useCase: k.useCase, current: now[k] ?? SpendTotals(), baseline: then[k] ?? SpendTotals(),
                  series: perBucket[k] ?? [SpendTotals](repeating: SpendTotals(), count: range.buckets.count))
        }.sorted { a, b in
            // Biggest cost drift first; groups without a comparison after, by spend.
            switch (a.costChange.map(abs), b.costChange.map(abs)) {
            case let (x?, y?) where x != y: return x > y
            case (.some, nil): return true
            case (nil, .some): return false
            default: return a.current.cost != b.current.cost ? a.current.cost > b.current.cost : Key(team: a.team, useCase: a.useCase) < Key(team: b.team, useCase: b.useCase)
            }
        }
    }

    public var alertCounts: [AlertSeverity: Int] { Dictionary(grouping: alerts, by: \.severity).mapValues(\.count) }
    public var firing: Int { alerts.filter { $0.state == .firing }.count }
}
