import FinOpsCore

/// A key column of the spend rollups that a summary read may keep. The columns it drops come
/// back as empty strings, and their rows are summed in the database, so a dashboard panel
/// that groups by team reads one row per (bucket, team) instead of one per user and model.
public enum RollupDimension: String, Sendable, CaseIterable {
    case org, team, user = "user_name", provider, model, useCase = "use_case", strategy

    /// The select list for `table`'s key columns: the bucket, then each key column or `''`.
    static func keySelect(_ keep: Set<RollupDimension>, table: RollupTable, bucket: String) -> [String] {
        table.keys.map { column in
            if column == "bucket" { return bucket }
            return keep.contains { $0.rawValue == column } ? column : "''"
        }
    }

    /// `GROUP BY` positions: the bucket and the kept columns.
    static func groupBy(_ keep: Set<RollupDimension>, table: RollupTable) -> String {
        let kept = Set(keep.map(\.rawValue))
        return table.keys.enumerated().filter { $0.element == "bucket" || kept.contains($0.element) }
            .map { String($0.offset + 1) }.joined(separator: ", ")
    }
}

extension SpendRollup.Key {
    /// This key with the columns not in `keep` blanked, as a summary read returns it.
    public func keeping(_ keep: Set<RollupDimension>) -> SpendRollup.Key {
        SpendRollup.Key(bucket: bucket, org: keep.contains(.org) ? org : "", team: keep.contains(.team) ? team : "",
                        user: keep.contains(.user) ? user : "", provider: keep.contains(.provider) ? provider : "",
                        model: keep.contains(.model) ? model : "", useCase: keep.contains(.useCase) ? useCase : "",
                        strategy: keep.contains(.strategy) ? strategy : "")
    }
}

/// Which measures a summary read sums: all of them, or only the counts and money (no token
/// counts, latency sum or histogram, which come back zero) — a third of the work for panels
/// that show spend, savings and error rates only.
public enum RollupMeasures: Sendable {
    case all, money

    static let moneyColumns: Set<String> = ["requests", "errors", "failovers", "cache_hits", "cost_nanos", "baseline_cost_nanos"]

    /// `SUM(column)` or `0` for each of `RollupTable.measures`, in order.
    var select: [String] {
        RollupTable.measures.map { self == .all || Self.moneyColumns.contains($0) ? "SUM(\($0))" : "0" }
    }

    /// What a summary read returns for `t` under these measures.
    public func restrict(_ t: SpendTotals) -> SpendTotals {
        guard self == .money else { return t }
        return SpendTotals(requests: t.requests, errors: t.errors, failovers: t.failovers, cacheHits: t.cacheHits, cost: t.cost, baselineCost: t.baselineCost)
    }
}
