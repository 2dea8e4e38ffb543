import FinOpsCore
import Foundation

/// Sums of rollup rows by whatever a panel groups on (team, model, strategy, bucket), done
/// once per page over the rows it read. Exact: money and counts add as integers.
enum RollupGroups {
    static func total(_ rows: [SpendRollup]) -> SpendTotals {
        var t = SpendTotals()
        for row in rows { t.add(row.totals) }
        return t
    }

    static func by<K: Hashable>(_ rows: [SpendRollup], _ key: (SpendRollup.Key) -> K) -> [K: SpendTotals] {
        var out: [K: SpendTotals] = [:]
        for row in rows { out[key(row.key), default: SpendTotals()].add(row.totals) }
        return out
    }

    /// Totals per bucket of `range` (rows outside it are ignored).
    static func series(_ rows: [SpendRollup], _ range: DashboardRange) -> [SpendTotals] {
        var out = [SpendTotals](repeating: SpendTotals(), count: range.buckets.count)
        for row in rows {
            guard let i = range.bucketIndex(row.key.bucket), i < out.count else { continue }
            out[i].add(row.totals)
        }
        return out
    }

    /// Totals per bucket of `range`, per group.
    static func series<K: Hashable>(_ rows: [SpendRollup], _ range: DashboardRange, _ key: (SpendRollup.Key) -> K) -> [K: [SpendTotals]] {
        let n = range.buckets.count
        var out: [K: [SpendTotals]] = [:]
        for row in rows {
            guard let i = range.bucketIndex(row.key.bucket), i < n else { continue }
            out[key(row.key), default: [SpendTotals](repeating: SpendTotals(), count: n)][i].add(row.totals)
        }
        return out
    }

    /// Groups ordered by spend, largest first (name breaks ties), for "top N" panels.
    static func bySpend<K: Comparable>(_ groups: [K: SpendTotals]) -> [(key: K, totals: SpendTotals)] {
        groups.map { ($0.key, $0.value) }.sorted { a, b in
            a.totals.cost != b.totals.cost ? a.totals.cost > b.totals.cost : a.key < b.key
        }
    }
}

/// The ratios every page shows, with nil when the denominator is zero (rendered as "—").
extension SpendTotals {
    /// Average cost of one call, in USD.
    var costPerRequestUSD: Double? { requests > 0 ? cost.usd / Double(requests) : nil }
    /// Savings over the baseline cost (0.41 = 41% cheaper than the baseline model).
    var savingsFraction: Double? { baselineCost.nanos != 0 ? Double(savings.nanos) / Double(baselineCost.nanos) : nil }
    var errorRate: Double? { requests > 0 ? Double(errors) / Double(requests) : nil }
    var p50: Double? { latency.quantile(0.5) }
    var p95: Double? { latency.quantile(0.95) }
}
