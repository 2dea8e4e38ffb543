import FinOpsCore
import Observability
import Scheduler

/// The scheduler's observer on the router's metrics registry (the Scheduler target knows no
/// metrics library).
struct SchedulerMetricsObserver: SchedulerObserver {
    let metrics: RouterMetrics

    func schedulerRan(job: String, seconds: Double) { metrics.recordSchedulerRun(job: job, seconds: seconds) }

    func alertsRaised(_ alerts: [AlertRecord]) {
        for severity in AlertSeverity.allCases {
            metrics.recordAlertsRaised(severity: severity.rawValue, count: alerts.filter { $0.severity == severity }.count)
        }
    }

    func alertsResolved(_ alerts: [AlertRecord]) {
        for severity in AlertSeverity.allCases {
            metrics.recordAlertsResolved(severity: severity.rawValue, count: alerts.filter { $0.severity == severity }.count)
        }
    }

    func alertsFiring(_ counts: [AlertSeverity: Int]) {
        for severity in AlertSeverity.allCases { metrics.setAlertsFiring(severity: severity.rawValue, count: counts[severity] ?? 0) }
    }

    func deliveryFinished(kind: AlertDestinationKind, severity: AlertSeverity, delivered: Bool) {
        metrics.recordAlertDelivery(destination: kind.rawValue, severity: severity.rawValue, succeeded: delivered)
    }
}
