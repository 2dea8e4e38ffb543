import FinOpsCore

/// Metrics of the spend controls. Labels are scopes, thresholds, detector kinds and fixed
/// outcomes — never team, user or key names, which are unbounded.
extension RouterMetrics {
    /// A budget's spend crossed one of its alert thresholds (each crossing counted once).
    public func recordBudgetThreshold(scope: BudgetScope, percent: Int) {
        counter(MetricCatalog.budgetThresholds, [scope.rawValue, String(percent)]).increment()
    }

    /// A request hit a budget at 100%: `block`ed (402), `downgrade`d, or `alert-only` let through.
    public func recordBudgetAction(scope: BudgetScope, action: BudgetAction) {
        counter(MetricCatalog.budgetActions, [scope.rawValue, action.rawValue]).increment()
    }

    /// A request refused by a rate limit (`requests` or `tokens` per minute).
    public func recordRateLimited(scope: BudgetScope, kind: String) {
        counter(MetricCatalog.rateLimited, [scope.rawValue, kind]).increment()
    }

    /// A guardrail finding and what was done about it.
    public func recordGuardrail(detector: String, action: String) {
        counter(MetricCatalog.guardrailViolations, [detector, action]).increment()
    }

    /// The shared state store failed (`outcome`: `fail_open`, `fail_closed`, `error`).
    public func recordStateStoreFailure(operation: String, outcome: String) {
        counter(MetricCatalog.stateStoreFailures, [operation, outcome]).increment()
    }

    /// Cache lookups: `exact`, `semantic`, `miss`, `bypass`; hits add the cost they avoided.
    public func recordCache(result: String, avoided: Money = .zero) {
        counter(MetricCatalog.cacheLookups, [result]).increment()
        if avoided.nanos > 0 {
            counter(MetricCatalog.cacheCostAvoided, []).increment(by: avoided.usd)
        }
    }

    /// Histogram of the budget + rate-limit check itself.
    public func recordPreflight(seconds: Double, store: String) {
        histogram(MetricCatalog.spendCheckDuration, [store],
                  buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1]).record(seconds)
    }
}
