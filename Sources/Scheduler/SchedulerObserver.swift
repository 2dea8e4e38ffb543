import FinOpsCore

/// What the scheduler reports about itself, for metrics. The Scheduler target knows no
/// metrics library: the gateway adapts this to its Prometheus registry. Label values it passes
/// are bounded: severities, destination kinds, job names.
public protocol SchedulerObserver: Sendable {
    /// One detection run (`job` = `detect`) or delivery pass (`deliver`) took `seconds`.
    func schedulerRan(job: String, seconds: Double)
    /// Alerts raised (suppressed ones included) and resolved by a run.
    func alertsRaised(_ alerts: [AlertRecord])
    func alertsResolved(_ alerts: [AlertRecord])
    /// Firing alerts after a run, by severity (every severity present, zeros included); also
    /// reported by replicas that are not the leader, so aggregate across replicas with `max`.
    func alertsFiring(_ counts: [AlertSeverity: Int])
    /// A notification was delivered, or given up on (failed for good; retries are not counted).
    func deliveryFinished(kind: AlertDestinationKind, severity: AlertSeverity, delivered: Bool)
}
