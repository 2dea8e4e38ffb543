/// How many alerts the scheduler raised and resolved (severity labels only).
extension RouterMetrics {
    public func recordAlertsRaised(severity: String, count: Int) {
        guard count > 0 else { return }
        counter(MetricCatalog.alertsRaised, [Self.boundedSeverity(severity)]).increment(by: Int64(count))
    }

    public func recordAlertsResolved(severity: String, count: Int) {
        guard count > 0 else { return }
        counter(MetricCatalog.alertsResolved, [Self.boundedSeverity(severity)]).increment(by: Int64(count))
    }

    static func boundedSeverity(_ severity: String) -> String {
        alertSeverities.contains(severity) ? severity : LabelVocabulary.other
    }
}
