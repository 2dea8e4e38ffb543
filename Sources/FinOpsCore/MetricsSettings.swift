/// The `metrics:` config section: which team names may appear as a `team` label value, and
/// how often the budget gauges are refreshed.
public struct MetricsSettings: Sendable, Equatable {
    /// Teams labelled by name besides those the config already names (budgets, rate limits,
    /// guardrails, policy files, dedup, cache, `attribution.default_team`). Others are `other`.
    public var teams: [String] = []
    /// Seconds between two refreshes of `finops_router_budget_*` (each reads the state store once).
    public var budgetRefreshSeconds = 15.0
    public init() {}
}

extension RouterConfig {
    /// Every team the configuration names: the `team` label's vocabulary (ADR 0020).
    /// `policyTeams` are the teams of the policy directory, which is read separately.
    public func metricTeams(policyTeams: [String]) -> Set<String> {
        var teams = Set(metrics.teams + dedupTeams + policyTeams + spend.cache.disabledTeams)
        teams.insert(defaultTeam)
        teams.formUnion(spend.rateLimits.teams.keys)
        teams.formUnion(spend.teamGuardrails.keys)
        for budget in spend.budgets where budget.scope == .team && budget.subject != "*" { teams.insert(budget.subject) }
        return teams
    }
}
