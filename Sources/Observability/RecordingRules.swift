import FinOpsCore

/// The recording rules behind the alerts and the dashboard: spend rates per team, budget burn
/// rates per budget, error, failover and cache-hit ratios, p95 latency. Names follow
/// Prometheus' `level:metric:operations` convention.
public enum RecordingRules {
    typealias M = MetricCatalog

    // Names the alerts and dashboards use.
    public static func teamSpendRate(_ w: PromDuration) -> String { "team:finops_router_cost_usd:rate\(w)" }
    public static func spendRate(_ w: PromDuration) -> String { "finops_router:cost_usd:rate\(w)" }
    public static func burnRate(_ w: PromDuration) -> String { "budget:finops_router_burn_rate:ratio_rate\(w)" }
    public static let allowance = "budget:finops_router_budget_limit_usd:per_second"
    public static let teamSpendPerHour = "team:finops_router_cost_usd:increase1h"
    public static let errorRatio = "finops_router:request_error_ratio:rate5m"
    public static let providerErrorRatio = "provider:finops_router_upstream_error_ratio:rate5m"
    public static let failoverRatio = "finops_router:failover_ratio:rate5m"
    public static let latencyP95 = "provider:finops_router_request_duration_seconds:p95_rate5m"
    public static let cacheHitRatio = "finops_router:cache_hit_ratio:rate1h"
    public static let cacheLookupRate = "finops_router:cache_lookups:rate1h"

    /// Average seconds per budget period (a month is 30.4375 days).
    static let periodSeconds: [(period: String, seconds: Int)] = [("daily", 86_400), ("monthly", 2_629_800)]

    /// Provider attempt results that are not the provider's failure.
    static let notProviderFailures = "ok|circuit_open|cancelled|upstream_bad_request"

    static func windows(_ s: AlertRuleSettings) -> [PromDuration] {
        Array(Set(s.budgetBurnWindows.flatMap { [$0.long, $0.short] })).sorted()
    }

    /// Spend rates per team and in total, allowances and burn rates per budget.
    public static func spend(_ s: AlertRuleSettings) -> [PromRule] {
        var rules: [PromRule] = [
            .record(teamSpendPerHour, "sum by (team) (increase(\(M.cost.name)[1h]))"),
            .record(allowance, periodSeconds.map { p in
                "max by (scope, subject, period) (\(M.budgetLimit.name){period=\"\(p.period)\"}) / \(p.seconds)"
            }.joined(separator: "\nor\n")),
        ]
        for w in windows(s) {
            rules.append(.record(teamSpendRate(w), "sum by (team) (rate(\(M.cost.name)[\(w)]))"))
            rules.append(.record(spendRate(w), "sum(rate(\(M.cost.name)[\(w)]))"))
            // Spend per second over the allowance per second: 1 = on track to use exactly the budget.
            rules.append(.record(burnRate(w), """
                (
                  label_replace(\(teamSpendRate(w)), "subject", "$1", "team", "(.*)")
                  / on (subject) group_right ()
                  \(allowance){scope="team"}
                )
                or
                (
                  \(spendRate(w))
                  / on () group_right ()
                  \(allowance){scope="org"}
                )
                """))
        }
        return rules
    }

    /// Error, failover and cache-hit ratios, p95 latency.
    public static func service() -> [PromRule] {
        [
            .record(errorRatio, """
                sum(rate(\(M.requests.name){code="5xx"}[5m]))
                /
                sum(rate(\(M.requests.name)[5m]))
                """),
            .record(providerErrorRatio, """
                sum by (provider) (rate(\(M.upstreamAttempts.name){result!~"\(notProviderFailures)"}[5m]))
                /
                sum by (provider) (rate(\(M.upstreamAttempts.name){result!~"circuit_open|cancelled"}[5m]))
                """),
            .record(failoverRatio, """
                sum(rate(\(M.requests.name){status="failover"}[5m]))
                /
                sum(rate(\(M.requests.name)[5m]))
                """),
            .record(latencyP95, "histogram_quantile(0.95, sum by (le, provider) (rate(\(M.requestDuration.bucket)[5m])))"),
            .record(cacheLookupRate, "sum(rate(\(M.cacheLookups.name){result!=\"bypass\"}[1h]))"),
            .record(cacheHitRatio, """
                sum(rate(\(M.cacheLookups.name){result=~"exact|semantic"}[1h]))
                /
                \(cacheLookupRate)
                """),
        ]
    }
}
