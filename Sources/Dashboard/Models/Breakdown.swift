import FinOpsCore
import Foundation

/// Rollup rows of a range grouped by one dimension (provider, model, strategy, use case,
/// user), each group with its totals and per-bucket series, largest spend first.
public struct Breakdown: Sendable {
    public struct Group: Sendable {
        public var name: String
        public var totals: SpendTotals
        public var series: [SpendTotals]
    }

    public var total: SpendTotals
    /// All groups together, per bucket.
    public var series: [SpendTotals]
    public var groups: [Group]

    /// - Parameter rows: rollups of `range` (rows outside it are ignored).
    public init(range: DashboardRange, rows: [SpendRollup], by key: (SpendRollup.Key) -> String) {
        let inRange = OverviewModel.slice(rows, range.from, range.to)
        total = RollupGroups.total(inRange)
        series = RollupGroups.series(inRange, range)
        let perBucket = RollupGroups.series(inRange, range, key)
        let empty = [SpendTotals](repeating: SpendTotals(), count: range.buckets.count)
        groups = RollupGroups.bySpend(RollupGroups.by(inRange, key)).map { Group(name: $0.key, totals: $0.totals, series: perBucket[$0.key] ?? empty) }
    }

    /// The group's share of all spend (0 when nothing was spent).
    public func share(_ g: Group) -> Double { total.cost.nanos > 0 ? Double(g.totals.cost.nanos) / Double(total.cost.nanos) : 0 }
}
