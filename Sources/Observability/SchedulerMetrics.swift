/// Metrics of the background scheduler and its alert delivery. The Scheduler target does not
/// import this module: the wiring passes these methods to it as closures. Every value is
/// bounded: destinations and severities are fixed sets (anything else is `other`), jobs are
/// capped at `maxSchedulerJobs` distinct names.
extension RouterMetrics {
    public static let alertDestinations = ["slack", "pagerduty", "webhook"]
    public static let alertSeverities = ["critical", "warning", "info"]
    /// Job names the scheduler is expected to run; their series exist at 0 from the start.
    public static let schedulerJobs = ["detect", "deliver"]
    static let maxSchedulerJobs = 16

    /// One notification attempt to Slack, PagerDuty or a generic webhook.
    public func recordAlertDelivery(destination: String, severity: String, succeeded: Bool) {
        let d = Self.alertDestinations.contains(destination) ? destination : LabelVocabulary.other
        let s = Self.alertSeverities.contains(severity) ? severity : LabelVocabulary.other
        counter(succeeded ? MetricCatalog.alertsSent : MetricCatalog.alertsFailed, [d, s]).increment()
    }

    /// One run of a scheduler job (detectors, budget checks, delivery...).
    public func recordSchedulerRun(job: String, seconds: Double) {
        histogram(MetricCatalog.schedulerRunDuration, [boundedJob(job)], buckets: Self.schedulerBuckets).record(seconds)
    }

    /// Alerts currently firing, per severity.
    public func setAlertsFiring(severity: String, count: Int) {
        let s = Self.alertSeverities.contains(severity) ? severity : LabelVocabulary.other
        gauge(MetricCatalog.alertsFiring, [s]).set(Double(count))
    }

    static let schedulerBuckets: [Double] = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300]

    func precreateSchedulerSeries() {
        for d in Self.alertDestinations {
            for s in Self.alertSeverities {
                _ = counter(MetricCatalog.alertsSent, [d, s])
                _ = counter(MetricCatalog.alertsFailed, [d, s])
            }
        }
        for s in Self.alertSeverities {
            gauge(MetricCatalog.alertsFiring, [s]).set(Double(0))
            _ = counter(MetricCatalog.alertsRaised, [s])
            _ = counter(MetricCatalog.alertsResolved, [s])
        }
        for job in Self.schedulerJobs {
            _ = histogram(MetricCatalog.schedulerRunDuration, [job], buckets: Self.schedulerBuckets)
        }
    }

    /// Known jobs, then new names until the cap; past it, `other`.
    private func boundedJob(_ job: String) -> String {
        let prefix = MetricCatalog.schedulerRunDuration.name + "\u{1F}"
        if Self.schedulerJobs.contains(job) { return job }
        let known = histogramKeys(prefix: prefix)
        if known.contains(prefix + job) { return job }
        return known.count < Self.maxSchedulerJobs ? job : LabelVocabulary.other
    }
}
