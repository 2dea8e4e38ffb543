import Foundation

/// One budget as it stands now: the policy, the concrete subject it counts (a `*` policy is
/// reported once per subject seen), the window, the spend the enforcer has counted, and where
/// that spend is heading. Read by the dashboard's budget page and the scheduler's budget alerts.
public struct BudgetStatus: Sendable, Equatable {
    public var policy: BudgetPolicy
    public var subject: String
    public var window: BudgetWindow
    public var spent: Money
    /// Where this window's spend is projected to end; nil when there is no history for it.
    public var forecast: SpendForecast?

    public init(policy: BudgetPolicy, subject: String, window: BudgetWindow, spent: Money, forecast: SpendForecast? = nil) {
        self.policy = policy
        self.subject = subject
        self.window = window
        self.spent = spent
        self.forecast = forecast
    }

    /// `team:search:monthly`, with the concrete subject.
    public var id: String { "\(policy.scope.rawValue):\(subject):\(policy.period.rawValue)" }

    /// Spent over limit (1 = 100%); 0 for a zero limit with nothing spent.
    public var utilization: Double {
        policy.limit.nanos > 0 ? Double(spent.nanos) / Double(policy.limit.nanos) : (spent.nanos > 0 ? .infinity : 0)
    }

    /// The policy's thresholds this window's spend has reached, ascending.
    public var crossedThresholds: [Int] {
        policy.thresholds.filter { Double(spent.nanos) * 100 >= Double(policy.limit.nanos) * Double($0) }
    }

    /// The projected end-of-window spend over the limit, when there is a forecast.
    public var forecastUtilization: Double? {
        guard let forecast, policy.limit.nanos > 0 else { return nil }
        return Double(forecast.expected.nanos) / Double(policy.limit.nanos)
    }
}

/// Where the budgets in force and their spend come from (the gateway's budget directory and
/// state store); injected into the dashboard and the scheduler.
public protocol BudgetStatusSource: Sendable {
    func budgetStatuses(at now: Date) async throws -> [BudgetStatus]
}
