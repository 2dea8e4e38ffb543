import Foundation

/// The pure half of building `BudgetStatus`es: which concrete subjects a set of policies covers,
/// and each subject's daily spend history, both read off daily rollups.
public enum BudgetStatusPlan {
    /// Every (policy, subject) to report. A `*` policy expands to each subject of its scope that
    /// spent in the policy's current window (key ids are not in rollups, so `key:*` expands to
    /// nothing here); an exact policy for a subject wins over `*` for the same scope and period.
    public static func concrete(_ policies: [BudgetPolicy], rollups: [SpendRollup], now: Date) -> [(BudgetPolicy, String)] {
        var out: [(BudgetPolicy, String)] = []
        var exact = Set<String>()
        for p in policies where p.subject != "*" {
            out.append((p, p.subject))
            exact.insert("\(p.scope.rawValue):\(p.subject):\(p.period.rawValue)")
        }
        for p in policies where p.subject == "*" {
            let window = p.period.window(at: now)
            let seen = Set(rollups.filter { $0.key.bucket >= window.start && $0.key.bucket < window.end }
                .compactMap { subject(of: $0.key, p.scope) }.filter { !$0.isEmpty })
            for name in seen.sorted() where !exact.contains("\(p.scope.rawValue):\(name):\(p.period.rawValue)") {
                out.append((p, name))
            }
        }
        return out
    }

    /// Spend per UTC day (keyed by day start) of one subject, from daily rollups.
    public static func dailySpend(_ rollups: [SpendRollup], scope: BudgetScope, subject: String) -> [Date: Money] {
        var out: [Date: Money] = [:]
        for r in rollups where self.subject(of: r.key, scope) == subject {
            out[r.key.bucket, default: .zero] += r.totals.cost
        }
        return out
    }

    /// The name a rollup row counts under for `scope`; nil for `key` (not kept in rollups).
    static func subject(of key: SpendRollup.Key, _ scope: BudgetScope) -> String? {
        switch scope {
        case .org: key.org
        case .team: key.team
        case .user: key.user
        case .key: nil
        }
    }
}
