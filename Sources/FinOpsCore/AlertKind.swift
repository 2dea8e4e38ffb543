/// What the scheduler raises. Each kind has a CamelCase alert name (as Prometheus alerts have)
/// and a runbook in `docs/runbooks/<AlertName>.md`.
public enum AlertKind: String, Sendable, CaseIterable, Codable {
    case spendSpike = "spend_spike"
    case requestSpike = "request_spike"
    case costPerRequestSpike = "cost_per_request_spike"
    case latencySpike = "latency_spike"
    case costDrift = "cost_drift"
    case latencyDrift = "latency_drift"
    case budgetThreshold = "budget_threshold"
    case budgetForecast = "budget_forecast"

    public var alertName: String {
        switch self {
        case .spendSpike: "SpendSpike"
        case .requestSpike: "RequestSpike"
        case .costPerRequestSpike: "CostPerRequestSpike"
        case .latencySpike: "LatencySpike"
        case .costDrift: "CostPerRequestDrift"
        case .latencyDrift: "LatencyDrift"
        case .budgetThreshold: "BudgetThresholdCrossed"
        case .budgetForecast: "BudgetForecastBreach"
        }
    }

    /// Path of the runbook, relative to the repository root.
    public var runbook: String { "docs/runbooks/\(alertName).md" }

    /// The kinds the anomaly and drift scan raises (the rest come from budgets).
    public static let fromRollups: Set<AlertKind> = [.spendSpike, .requestSpike, .costPerRequestSpike, .latencySpike,
                                                      .costDrift, .latencyDrift]
    public static let fromBudgets: Set<AlertKind> = [.budgetThreshold, .budgetForecast]

    /// Default severities; `scheduler.severity.<kind>` overrides them (budget thresholds are
    /// graded by percent instead, see `SchedulerSettings.budgetSeverity`).
    public var defaultSeverity: AlertSeverity {
        switch self {
        case .spendSpike, .costPerRequestSpike, .costDrift, .latencyDrift, .budgetForecast: .warning
        case .requestSpike, .latencySpike: .info
        case .budgetThreshold: .warning
        }
    }
}
