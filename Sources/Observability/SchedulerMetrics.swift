import Prometheus

/// Metrics of the alert scheduler. Labels are destination kinds (`slack`, `pagerduty`,
/// `webhook`), severities and job names: bounded by construction.
extension RouterMetrics {
    /// A notification delivered (`finops_router_alerts_sent_total`) or given up on after its
    /// retries (`finops_router_alerts_failed_total`).
    public func recordAlertDelivery(destination: String, severity: String, succeeded: Bool) {
        counter(name: succeeded ? "finops_router_alerts_sent_total" : "finops_router_alerts_failed_total",
                labels: [("destination", destination), ("severity", severity)],
                help: succeeded ? "Alert notifications delivered, by destination kind and severity"
                    : "Alert notifications given up on after their retries, by destination kind and severity").increment()
    }

    /// How long one scheduler job run took (`detect`, `deliver`).
    public func recordSchedulerRun(job: String, seconds: Double) {
        histogram(name: "finops_router_scheduler_run_duration_seconds", labels: [("job", job)],
                  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
                  help: "Duration of alert scheduler runs, by job").record(seconds)
    }

    /// Alerts currently firing with this severity.
    public func setAlertsFiring(severity: String, count: Int) {
        registry.makeGauge(name: "finops_router_alerts_firing", labels: [("severity", severity)],
                           help: "Alerts currently firing, by severity").set(Double(count))
    }
}
