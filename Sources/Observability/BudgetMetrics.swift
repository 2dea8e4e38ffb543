import FinOpsCore

/// Budget gauges: limit and utilization per budget in force. They are set by a refresh loop
/// outside the scrape path (reading spend needs a state-store call); a budget that disappears
/// (an admin deleted it) loses its series at the next refresh.
extension RouterMetrics {
    /// One budget's state in the current window. `subject` is a configured name (or a configured
    /// team for a `*` team budget), never a value taken from a request.
    public struct BudgetReading: Sendable, Equatable {
        public var scope: BudgetScope
        public var subject: String
        public var period: BudgetPeriod
        public var limit: Money
        public var spent: Money
        public init(scope: BudgetScope, subject: String, period: BudgetPeriod, limit: Money, spent: Money) {
            self.scope = scope
            self.subject = subject
            self.period = period
            self.limit = limit
            self.spent = spent
        }

        public var utilization: Double { limit.nanos > 0 ? Double(spent.nanos) / Double(limit.nanos) : 0 }
    }

    /// Replaces every budget gauge with `readings`.
    public func setBudgets(_ readings: [BudgetReading]) {
        var fresh = Set<String>()
        for r in readings {
            let values = [r.scope.rawValue, r.subject, r.period.rawValue]
            gauge(MetricCatalog.budgetLimit, values).set(r.limit.usd)
            gauge(MetricCatalog.budgetUtilization, values).set(r.utilization)
            fresh.insert(values.joined(separator: "\u{1F}"))
        }
        let gone = budgetSeries.withLock { current -> Set<String> in
            defer { current = fresh }
            return current.subtracting(fresh)
        }
        for key in gone {
            let values = key.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
            removeGauge(MetricCatalog.budgetLimit, values)
            removeGauge(MetricCatalog.budgetUtilization, values)
        }
    }
}
