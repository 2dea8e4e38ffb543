import FinOpsCore
import Foundation
import Logging
import Storage
import Upstream

/// Sends what is due in `alert_deliveries`: claims due rows under a lease (so replicas never
/// send the same one at once, and a crashed sender's rows come back), groups them into one
/// call per (destination, action, group) where the kind allows it, posts through the libcurl
/// multi loop, and records each outcome: delivered, retry with backoff, or failed after
/// `maxAttempts` (or at once on a refusal like 400/404 that no retry would change).
/// Delivery is at least once: a process that dies after the destination answered but before
/// the outcome is written sends again after the lease (PagerDuty's dedup_key absorbs that).
public final class AlertDeliverer: Sendable {
    private let store: any AlertStore
    private let destinations: [String: AlertDestination]
    private let settings: NotificationSettings
    private let loop: CurlMultiLoop
    private let observer: (any SchedulerObserver)?
    private let logger: Logger
    private let random: @Sendable () -> Double

    public init(store: any AlertStore, destinations: [AlertDestination], settings: NotificationSettings, loop: CurlMultiLoop,
                observer: (any SchedulerObserver)? = nil, logger: Logger, random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.store = store
        self.destinations = Dictionary(destinations.map { ($0.name, $0) }) { a, _ in a }
        self.settings = settings
        self.loop = loop
        self.observer = observer
        self.logger = logger
        self.random = random
    }

    var timeout: Duration { .milliseconds(settings.timeoutMs) }

    /// One pass over the deliveries due at `now` (at most `limit`).
    public func deliverDue(now: Date, limit: Int = 200) async throws -> DeliveryReport {
        let started = ContinuousClock.now
        defer { observer?.schedulerRan(job: "deliver", seconds: started.duration(to: .now).seconds) }
        let store = self.store
        // The lease outlasts a call that runs into its timeout, with room to record the outcome.
        let leaseUntil = now.addingTimeInterval(Double(settings.timeoutMs) / 1_000 * 2 + 30)
        let claimed = try await BlockingExecutor.run { try store.claimDueDeliveries(now: now, leaseUntil: leaseUntil, limit: limit) }
        var report = DeliveryReport()
        for group in Self.groups(claimed, destinations: destinations) {
            report.lines.append(try await send(group, now: now))
        }
        return report
    }

    /// One call's worth of claimed deliveries: same destination, action and group key; a
    /// PagerDuty delivery (or an unknown destination) is alone.
    static func groups(_ claimed: [ClaimedDelivery], destinations: [String: AlertDestination]) -> [[ClaimedDelivery]] {
        var order: [String] = []
        var byKey: [String: [ClaimedDelivery]] = [:]
        for c in claimed {
            let d = c.delivery
            let groups = destinations[d.destination]?.kind.supportsGrouping ?? false
            let key = groups ? "\(d.destination)\u{1F}\(d.action.rawValue)\u{1F}\(d.groupKey)" : "#\(d.id ?? 0)"
            if byKey[key] == nil { order.append(key) }
            byKey[key, default: []].append(c)
        }
        return order.flatMap { key in
            stride(from: 0, to: byKey[key]!.count, by: SlackMessage.maxAlerts).map {
                Array(byKey[key]![$0..<min($0 + SlackMessage.maxAlerts, byKey[key]!.count)])
            }
        }
    }

    private func send(_ group: [ClaimedDelivery], now: Date) async throws -> DeliveryReport.Line {
        let first = group[0].delivery
        var line = DeliveryReport.Line(destination: first.destination, kind: first.kind, action: first.action, alerts: group.count,
                                       outcome: "", error: nil)
        let failure: (message: String, permanent: Bool)?
        if let destination = destinations[first.destination] {
            let request = AlertNotification.request(to: destination, alerts: group.map(\.alert), action: first.action,
                                                    groupKey: first.groupKey, now: now, timeout: timeout)
            do {
                let response = try await loop.execute(request)
                failure = (200..<300).contains(response.status) ? nil
                    : ("HTTP \(response.status)", !DeliveryRetryPlan.isRetryable(status: response.status))
            } catch let error as UpstreamError where error.kind == .cancelled {
                // Shutting down: leave the rows pending; the lease lapses and they are sent later.
                throw CancellationError()
            } catch let error as UpstreamError {
                failure = (error.description, false)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                failure = ("transport error", false)
            }
        } else {
            failure = ("destination '\(first.destination)' is no longer configured", true)
        }
        let plan = DeliveryRetryPlan(settings)
        var outcomes: [(Int64, AlertDeliveryOutcome, AlertSeverity)] = []
        for c in group {
            guard let id = c.delivery.id else { continue }
            let outcome = failure.map {
                plan.outcome(afterAttempts: c.delivery.attempts + 1, error: $0.message, permanent: $0.permanent, now: now,
                             unitRandom: random())
            } ?? .delivered
            outcomes.append((id, outcome, c.alert.severity))
        }
        let store = self.store
        let recorded = outcomes.map { ($0.0, $0.1) }
        try await BlockingExecutor.run { for (id, outcome) in recorded { try store.completeDelivery(id: id, outcome: outcome, at: now) } }
        for (_, outcome, severity) in outcomes {
            switch outcome {
            case .delivered: observer?.deliveryFinished(kind: first.kind, severity: severity, delivered: true)
            case .failed: observer?.deliveryFinished(kind: first.kind, severity: severity, delivered: false)
            case .retry: break
            }
        }
        switch outcomes.first?.1 ?? .delivered {
        case .delivered: line.outcome = "delivered"
        case .retry(_, let error): line.outcome = "retry"; line.error = error
        case .failed(let error): line.outcome = "failed"; line.error = error
        }
        let metadata: Logger.Metadata = ["destination": "\(first.destination)", "kind": "\(first.kind.rawValue)",
                                         "action": "\(first.action.rawValue)", "alerts": "\(group.count)"]
        if let error = line.error {
            logger.warning("alert notification \(line.outcome == "failed" ? "failed for good" : "failed; will retry")",
                           metadata: metadata.merging(["error": "\(error)"]) { a, _ in a })
        } else {
            logger.info("alert notification delivered", metadata: metadata)
        }
        return line
    }
}
