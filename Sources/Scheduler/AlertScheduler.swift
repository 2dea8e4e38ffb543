import FinOpsCore
import Foundation
import Logging
import Storage

/// One detection run: read the hourly rollups and the budgets, run the detectors, and
/// reconcile with the stored alerts — raise new conditions (queueing their notifications in
/// the same transaction), refresh the ones still firing, resolve the ones that cleared.
///
/// Safe with several replicas: only the holder of the `alert-detection` lease runs (it renews
/// it every run; another replica takes over once it lapses), and "raise unless already firing"
/// is atomic in the store, so a rerun or an overlapping run never raises anything twice.
/// Store calls run on `BlockingExecutor` threads, never on the cooperative pool.
public final class AlertScheduler: Sendable {
    public static let leaseName = "alert-detection"

    private let store: any TelemetryStore
    private let budgets: (any BudgetStatusSource)?
    private let settings: SchedulerSettings
    private let notifications: NotificationSettings
    private let org: String
    private let observer: (any SchedulerObserver)?
    private let logger: Logger
    /// This process's name in the lease.
    public let owner: String

    public init(store: any TelemetryStore, budgets: (any BudgetStatusSource)?, settings: SchedulerSettings,
                notifications: NotificationSettings, org: String, observer: (any SchedulerObserver)? = nil, logger: Logger,
                owner: String = "scheduler-\(UUID().uuidString.prefix(8).lowercased())") {
        self.store = store; self.budgets = budgets; self.settings = settings; self.notifications = notifications
        self.org = org; self.observer = observer; self.logger = logger; self.owner = owner
    }

    /// Gives the detection lease up (a stopping process, a one-off run), so another replica
    /// need not wait for it to lapse.
    public func releaseLease() async {
        let store = self.store, owner = self.owner
        try? await BlockingExecutor.run { try store.releaseLease(Self.leaseName, owner: owner) }
    }

    /// Runs detection as of `now`: the judged hour is the last complete one before it.
    public func runOnce(now: Date) async throws -> SchedulerRunReport {
        let started = ContinuousClock.now
        defer { observer?.schedulerRan(job: "detect", seconds: started.duration(to: .now).seconds) }
        let store = self.store, owner = self.owner
        let lease = now.addingTimeInterval(Double(settings.effectiveLeaseSeconds))
        var report = SchedulerRunReport()
        guard try await BlockingExecutor.run({ try store.acquireLease(Self.leaseName, owner: owner, now: now, until: lease) }) else {
            // Not the leader: still report what is firing, so every replica's gauge is current.
            report.leader = false
            reportFiring(try await BlockingExecutor.run { try store.firingAlerts(limit: 100_000) })
            return report
        }
        var (findings, judged) = try await rollupFindings(now: now, report: &report)
        if let budgets, settings.budgetThresholds || settings.budgetForecast {
            do {
                findings += BudgetAlertRules(settings: settings).findings(try await budgets.budgetStatuses(at: now), now: now)
                judged.formUnion(AlertKind.fromBudgets)
            } catch {
                report.errors.append("budgets: \(error)")
                logger.warning("budget statuses unavailable; budget alerts left as they are", metadata: ["error": "\(error)"])
            }
        }
        let cooldown = Double(settings.cooldownSeconds)
        let (firing, cooling) = try await BlockingExecutor.run {
            (try store.firingAlerts(limit: 100_000), try store.alertsResolved(since: now.addingTimeInterval(-cooldown), limit: 100_000))
        }
        let plan = AlertReconciler(cooldown: cooldown).plan(findings: findings, firing: firing, recentlyResolved: cooling,
                                                            judged: judged, org: org, now: now)
        try await apply(plan, now: now, report: &report)
        let after = try await BlockingExecutor.run { try store.firingAlerts(limit: 100_000) }
        observer?.alertsRaised(report.raised)
        observer?.alertsResolved(report.resolved)
        reportFiring(after)
        return report
    }

    private func reportFiring(_ firing: [AlertRecord]) {
        observer?.alertsFiring(Dictionary(uniqueKeysWithValues: AlertSeverity.allCases.map { s in (s, firing.filter { $0.severity == s }.count) }))
    }

    private func rollupFindings(now: Date, report: inout SchedulerRunReport) async throws -> ([AlertFinding], Set<AlertKind>) {
        let end = SpendRollup.Granularity.hour.bucketStart(now)
        let hours = settings.lookbackHours
        let start = end.addingTimeInterval(-Double(hours) * 3_600)
        let store = self.store
        let rollups = try await BlockingExecutor.run { try store.spendRollups(.hour, from: start, to: end, team: nil) }
        let all = HourlyScopeSeries.build(rollups: rollups, start: start, hours: hours)
        let series = Array(all.prefix(settings.maxScopes))
        report.scopes = series.count
        report.skippedScopes = all.count - series.count
        if report.skippedScopes > 0 {
            logger.warning("more scopes than scheduler.max_scopes; the quietest were not judged",
                           metadata: ["judged": "\(series.count)", "skipped": "\(report.skippedScopes)"])
        }
        return (AnomalyScan(settings: settings).findings(series), AlertKind.fromRollups)
    }

    private func apply(_ plan: AlertReconciler.Plan, now: Date, report: inout SchedulerRunReport) async throws {
        let store = self.store
        for var alert in plan.raise {
            let routes = notifications.destinations(for: alert.severity)
            if alert.deliveryState != .suppressed && routes.isEmpty {
                alert.deliveryState = .suppressed
                alert.labels["suppressed"] = "no_route"
            }
            let deliveries = alert.deliveryState == .suppressed ? [] : routes.map {
                AlertDelivery(destination: $0.name, kind: $0.kind, action: .trigger, groupKey: Self.groupKey(now, alert.team),
                              nextAttemptAt: now, createdAt: now)
            }
            let raised = alert
            if let id = try await BlockingExecutor.run({ try store.raiseAlert(raised, deliveries: deliveries) }) {
                alert.id = id
                report.raised.append(alert)
                logger.notice("alert raised", metadata: ["fingerprint": "\(alert.fingerprint)", "severity": "\(alert.severity.rawValue)",
                                                         "notify": "\(deliveries.map(\.destination).joined(separator: ","))"])
            }
        }
        for alert in plan.update {
            if try await BlockingExecutor.run({ try store.updateFiringAlert(alert) }) { report.updated.append(alert) }
        }
        for var alert in plan.resolve {
            guard let id = alert.id else { continue }
            let sendResolved = notifications.sendResolved
            let resolvedAt = now, team = alert.team
            let done = try await BlockingExecutor.run { () throws -> Bool in
                // Tell the destinations that were told it fired, and only those.
                let told = sendResolved ? try store.deliveries(alertID: id).filter { $0.action == .trigger } : []
                let resolves = told.map {
                    AlertDelivery(destination: $0.destination, kind: $0.kind, action: .resolve, groupKey: Self.groupKey(resolvedAt, team),
                                  nextAttemptAt: resolvedAt, createdAt: resolvedAt)
                }
                return try store.resolveAlert(id: id, at: resolvedAt, deliveries: resolves)
            }
            if done {
                alert.state = .resolved
                alert.resolvedAt = now
                report.resolved.append(alert)
                logger.notice("alert resolved", metadata: ["fingerprint": "\(alert.fingerprint)"])
            }
        }
    }

    /// Deliveries of one run and one team share a group (one Slack message, one webhook call).
    static func groupKey(_ now: Date, _ team: String) -> String {
        "run:\(Int64(now.timeIntervalSince1970)):team=\(team)"
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
