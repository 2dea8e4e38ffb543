import FinOpsCore
import Foundation
import Observability
import Storage

/// Keeps `finops_router_budget_limit_usd` and `finops_router_budget_utilization_ratio` current:
/// every `interval` it reads the budgets in force and their spend (one state-store call) and sets
/// the gauges, so the synchronous `/metrics` handler never waits on the store. Subjects are
/// bounded: concrete subjects come from the config or the admin API, and a `*` team budget is
/// shown for the configured teams only (a `*` user or key budget is not expanded).
struct BudgetGauges: Sendable {
    let budgets: BudgetDirectory
    let store: any StateStore
    let org: String
    let metrics: RouterMetrics
    let interval: Duration

    /// The budgets to show, with the subject each is counted under (an exact subject beats `*`).
    static func subjects(of policies: [BudgetPolicy], org: String, teams: [String]) -> [(BudgetPolicy, String)] {
        var out: [(BudgetPolicy, String)] = []
        for p in policies where p.subject != "*" { out.append((p, p.subject)) }
        for p in policies where p.subject == "*" {
            let names: [String]
            switch p.scope {
            case .org: names = [org]
            case .team: names = teams
            case .user, .key: names = []
            }
            for name in names where !policies.contains(where: { $0.scope == p.scope && $0.period == p.period && $0.subject == name }) {
                out.append((p, name))
            }
        }
        return out
    }

    /// One refresh; on a store error the gauges keep their last values (and the failure is counted).
    func refresh(now: Date = Date()) async {
        let shown = Self.subjects(of: await budgets.all(), org: org, teams: metrics.labels.teams.filter { $0 != LabelVocabulary.other })
        let keys = shown.map { StateKeys.budget(org: org, scope: $0.0.scope, subject: $0.1, window: $0.0.period.window(at: now)) }
        guard let spent = try? await store.spent(keys) else {
            metrics.recordStateStoreFailure(operation: "budget_gauges", outcome: "error")
            return
        }
        metrics.setBudgets(zip(shown, spent).map { item, spent in
            RouterMetrics.BudgetReading(scope: item.0.scope, subject: item.1, period: item.0.period, limit: item.0.limit, spent: spent)
        })
    }

    /// Refreshes until cancelled.
    func run() async {
        while !Task.isCancelled {
            await refresh()
            try? await Task.sleep(for: interval)
        }
    }
}
