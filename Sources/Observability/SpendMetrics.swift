import FinOpsCore

/// Metrics of the spend controls. Labels are scopes, thresholds, detector kinds and fixed
/// outcomes — never team, user or key names, which are unbounded.
extension RouterMetrics {
    /// A budget's spend crossed one of its alert thresholds (each crossing counted once).
    public func recordBudgetThreshold(scope: BudgetScope, percent: Int) {
        counter(name: "finops_router_budget_threshold_crossings_total",
                labels: [("scope", scope.rawValue), ("threshold", String(percent))],
                help: "Budget alert thresholds crossed").increment()
    }

    /// A request hit a budget at 100%: `block`ed (402), `downgrade`d, or `alert-only` let through.
    public func recordBudgetAction(scope: BudgetScope, action: BudgetAction) {
        counter(name: "finops_router_budget_actions_total",
                labels: [("scope", scope.rawValue), ("action", action.rawValue)],
                help: "Requests that reached a budget limit, by action taken").increment()
    }

    /// A request refused by a rate limit (`requests` or `tokens` per minute).
    public func recordRateLimited(scope: BudgetScope, kind: String) {
        counter(name: "finops_router_rate_limited_total", labels: [("scope", scope.rawValue), ("kind", kind)],
                help: "Requests refused by a rate limit").increment()
    }

    /// A guardrail finding and what was done about it.
    public func recordGuardrail(detector: String, action: String) {
        counter(name: "finops_router_guardrail_violations_total", labels: [("detector", detector), ("action", action)],
                help: "Guardrail violations by detector and action").increment()
    }

    /// The shared state store failed (`outcome`: `fail_open`, `fail_closed`, `error`).
    public func recordStateStoreFailure(operation: String, outcome: String) {
        counter(name: "finops_router_state_store_failures_total", labels: [("operation", operation), ("outcome", outcome)],
                help: "State store (Redis) calls that failed, and how the request was handled").increment()
    }

    /// Cache lookups: `exact`, `semantic`, `miss`, `bypass`; hits add the cost they avoided.
    public func recordCache(result: String, avoided: Money = .zero) {
        counter(name: "finops_router_cache_lookups_total", labels: [("result", result)],
                help: "Response cache lookups by result").increment()
        if avoided.nanos > 0 {
            counter(name: "finops_router_cache_cost_avoided_usd_total", labels: [],
                    help: "What cache hits would have cost on the provider, in US dollars").increment(by: avoided.usd)
        }
    }

    /// Histogram of the budget + rate-limit check itself.
    public func recordPreflight(seconds: Double, store: String) {
        histogram(name: "finops_router_spend_check_duration_seconds", labels: [("store", store)],
                  buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
                  help: "Time spent checking budgets and rate limits").record(seconds)
    }
}
