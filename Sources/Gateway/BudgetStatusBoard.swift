import FinOpsCore
import Foundation
import Storage

/// `BudgetStatusSource` for the running gateway: the budgets in force (config, admin overrides
/// and keys' own budgets), the spend the enforcer counted in the state store (what a 402 is
/// decided on), and forecasts from the telemetry's daily rollups. `*` budgets are reported once
/// per subject that spent in the current window.
final class BudgetStatusBoard: BudgetStatusSource {
    private let budgets: BudgetDirectory
    private let keys: VirtualKeyDirectory
    private let state: any StateStore
    private let telemetry: any TelemetryStore
    private let org: String
    private let reads = BlockingReads()

    init(budgets: BudgetDirectory, keys: VirtualKeyDirectory, state: any StateStore, telemetry: any TelemetryStore, org: String) {
        self.budgets = budgets
        self.keys = keys
        self.state = state
        self.telemetry = telemetry
        self.org = org
    }

    /// The in-memory state store starts every process with empty budget counters, while the
    /// telemetry store remembers what the current windows have spent: this adds that spend back
    /// (org, team and user budgets; key budgets are not in the rollups, and rows still in the
    /// spill file are not in them yet). Additive, so a call served meanwhile still counts once.
    /// Returns the counters restored and their total.
    func restoreCounters(at now: Date) async throws -> (counters: Int, total: Money) {
        let policies = await budgets.all().filter { $0.scope != .key }
        guard !policies.isEmpty else { return (0, .zero) }
        let from = BudgetPeriod.monthly.window(at: now).start
        let telemetry = self.telemetry
        let rollups = try await reads.run {
            try telemetry.spendSummaries(.day, from: from, to: now.addingTimeInterval(86_400), team: nil, keep: [.org, .team, .user], measures: .money)
        }
        var additions: [SpendAddition] = []
        for (policy, subject) in BudgetStatusPlan.concrete(policies, rollups: rollups, now: now) {
            let window = policy.period.window(at: now)
            let spent = BudgetStatusPlan.dailySpend(rollups, scope: policy.scope, subject: subject)
                .filter { $0.key >= window.start && $0.key < window.end }.values.reduce(Money.zero, +)
            guard spent.nanos > 0 else { continue }
            additions.append(SpendAddition(key: StateKeys.budget(org: org, scope: policy.scope, subject: subject, window: window),
                                           amount: spent, ttlSeconds: window.ttlSeconds(now: now)))
        }
        if !additions.isEmpty { try await state.addSpend(additions) }
        return (additions.count, additions.reduce(Money.zero) { $0 + $1.amount })
    }

    func budgetStatuses(at now: Date) async throws -> [BudgetStatus] {
        var policies = await budgets.all()
        let keyPolicies = Set(policies.filter { $0.scope == .key }.map(\.id))
        for key in try await keys.all() where !key.isRevoked {
            guard let limit = key.budget else { continue }
            let own = BudgetPolicy(scope: .key, subject: key.id, period: key.budgetPeriod, limit: limit)
            if !keyPolicies.contains(own.id) { policies.append(own) }
        }
        guard !policies.isEmpty else { return [] }
        // Daily rollups from four weeks before this month (the forecast's weekday pattern) to now.
        let monthStart = BudgetPeriod.monthly.window(at: now).start
        let from = monthStart.addingTimeInterval(-28 * 86_400)
        let telemetry = self.telemetry
        // Summed in the database over provider, model, use case and strategy, money only: budgets
        // count spend by org, team and user.
        let rollups = try await reads.run {
            try telemetry.spendSummaries(.day, from: from, to: now.addingTimeInterval(86_400), team: nil, keep: [.org, .team, .user], measures: .money)
        }
        let concrete = BudgetStatusPlan.concrete(policies, rollups: rollups, now: now)
        let windows = concrete.map { $0.0.period.window(at: now) }
        let counterKeys = zip(concrete, windows).map { pair, window in
            StateKeys.budget(org: org, scope: pair.0.scope, subject: pair.1, window: window)
        }
        let spent = try await state.spent(counterKeys)
        return zip(zip(concrete, windows), spent).map { item, spent in
            let ((policy, subject), window) = item
            let history = BudgetStatusPlan.dailySpend(rollups, scope: policy.scope, subject: subject)
            let forecast = SpendForecast.project(dailySpend: history, spentSoFar: spent, windowStart: window.start,
                                                 windowEnd: window.end, now: now)
            return BudgetStatus(policy: policy, subject: subject, window: window, spent: spent, forecast: forecast)
        }
    }
}
