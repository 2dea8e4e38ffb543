/// How many alerts the scheduler raised and resolved (severity labels only).
extension RouterMetrics {
    public func recordAlertsRaised(severity: String, count: Int) {
        guard count > 0 else { return }
        counter(name: "finops_router_alerts_raised_total", labels: [("severity", severity)],
                help: "Alerts raised by the scheduler (cooldown-suppressed ones included), by severity").increment(by: Int64(count))
    }

    public func recordAlertsResolved(severity: String, count: Int) {
        guard count > 0 else { return }
        counter(name: "finops_router_alerts_resolved_total", labels: [("severity", severity)],
                help: "Alerts the scheduler resolved, by severity").increment(by: Int64(count))
    }
}
