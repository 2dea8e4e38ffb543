import Foundation

/// Budget alerts from the budgets in force (`BudgetStatusSource`), never recomputed here:
/// - one `budget_threshold` finding per threshold the window's spend has reached (50/80/100%
///   by default), graded by percent (`SchedulerSettings.budgetSeverity`), so reaching 100%
///   after 80% pages even though the 80% alert is already out;
/// - one `budget_forecast` finding when the month-end (window-end) forecast — weekday-aware
///   when there is a week of history, linear otherwise — reaches `forecastRatio` of the limit
///   while the spend itself has not (then the threshold alert says it all). Not before
///   `forecastMinElapsedHours` (or a quarter of a shorter window) have passed: a forecast from
///   the first hours of a month is noise.
/// A new window starts below every threshold, so its predecessor's alerts resolve. Pure.
public struct BudgetAlertRules: Sendable {
    public var settings: SchedulerSettings

    public init(settings: SchedulerSettings) { self.settings = settings }

    public func findings(_ statuses: [BudgetStatus], now: Date) -> [AlertFinding] {
        statuses.flatMap { status -> [AlertFinding] in
            var out: [AlertFinding] = []
            if settings.budgetThresholds {
                out += status.crossedThresholds.map { threshold(status, $0) }
            }
            if settings.budgetForecast, let f = forecast(status, now: now) { out.append(f) }
            return out
        }
    }

    private func scopePairs(_ s: BudgetStatus) -> [(String, String)] {
        [(s.policy.scope.rawValue, s.subject), ("period", s.policy.period.rawValue)]
    }

    private func baseLabels(_ s: BudgetStatus) -> [String: String] {
        [
            "scope": s.policy.scope.rawValue, "subject": s.subject, "period": s.policy.period.rawValue,
            "window": s.window.id, "window_start": CivilDate.iso8601(s.window.start), "window_end": CivilDate.iso8601(s.window.end),
            "limit_usd": s.policy.limit.decimalString, "spent_usd": s.spent.decimalString,
            "utilization": AnomalyEvidence.format(s.utilization), "action": s.policy.action.rawValue,
        ]
    }

    private func team(_ s: BudgetStatus) -> String { s.policy.scope == .team ? s.subject : "" }

    private func threshold(_ s: BudgetStatus, _ percent: Int) -> AlertFinding {
        var labels = baseLabels(s)
        labels["threshold_percent"] = String(percent)
        let used = Int((s.utilization * 100).rounded(.down))
        return AlertFinding(
            kind: .budgetThreshold, severity: settings.budgetSeverity(percent: percent),
            fingerprint: AlertFinding.fingerprint(.budgetThreshold, scopePairs(s) + [("threshold", String(percent))]),
            team: team(s), title: "Budget \(percent)% reached: \(s.policy.scope.rawValue) \(s.subject) (\(s.policy.period.rawValue))",
            message: "\(s.spent) spent of \(s.policy.limit) (\(used)%) in the \(s.policy.period.rawValue) window \(s.window.id), "
                + "which resets \(s.window.resetISO8601); at 100% the action is \(s.policy.action.rawValue).",
            value: s.utilization * 100, threshold: Double(percent), labels: labels)
    }

    private func forecast(_ s: BudgetStatus, now: Date) -> AlertFinding? {
        guard let f = s.forecast, let ratio = s.forecastUtilization, ratio >= settings.forecastRatio, s.utilization < 1 else { return nil }
        let length = s.window.end.timeIntervalSince(s.window.start)
        let needed = min(Double(settings.forecastMinElapsedHours) * 3_600, length / 4)
        guard now.timeIntervalSince(s.window.start) >= needed else { return nil }
        var labels = baseLabels(s)
        labels["forecast_usd"] = f.expected.decimalString
        labels["forecast_linear_usd"] = f.linear.decimalString
        labels["forecast_weekday_aware_usd"] = f.weekdayAware.decimalString
        labels["forecast_method"] = f.dailyRunRate == nil ? "linear" : "weekday_aware"
        if let rate = f.dailyRunRate { labels["daily_run_rate_usd"] = rate.decimalString }
        labels["forecast_utilization"] = AnomalyEvidence.format(ratio)
        return AlertFinding(
            kind: .budgetForecast, severity: settings.severity(for: .budgetForecast),
            fingerprint: AlertFinding.fingerprint(.budgetForecast, scopePairs(s)), team: team(s),
            title: "Budget forecast over limit: \(s.policy.scope.rawValue) \(s.subject) (\(s.policy.period.rawValue))",
            message: "At the current pace \(s.policy.scope.rawValue) \(s.subject) ends window \(s.window.id) at \(f.expected) "
                + "(\(Int((ratio * 100).rounded()))% of \(s.policy.limit); \(s.spent) spent so far, "
                + "\(f.dailyRunRate == nil ? "linear projection" : "weekday-aware projection")).",
            value: ratio * 100, threshold: settings.forecastRatio * 100, labels: labels)
    }
}
