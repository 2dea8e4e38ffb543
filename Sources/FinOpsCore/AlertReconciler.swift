import Foundation

/// Turns one run's findings into changes to the stored alerts, so a run can be repeated
/// without raising anything twice:
/// - a finding whose fingerprint has a firing alert updates it (value, evidence, severity)
///   and notifies nobody (dedup);
/// - a new fingerprint raises a firing alert, notified — unless the same fingerprint resolved
///   less than `cooldown` ago: then it is stored as `suppressed` (flapping stays quiet);
/// - a firing alert whose kind was judged in this run and that no finding matches is resolved
///   (the condition cleared), and its destinations are told if they were told it fired.
/// Kinds a run could not judge (their source failed) keep their alerts as they are. Pure.
public struct AlertReconciler: Sendable {
    public var cooldown: TimeInterval

    public init(cooldown: TimeInterval) { self.cooldown = cooldown }

    public struct Plan: Sendable, Equatable {
        public var raise: [AlertRecord] = []
        /// Firing alerts with this run's value and evidence (ids set).
        public var update: [AlertRecord] = []
        /// Firing alerts to resolve (ids set), and whether their trigger went out.
        public var resolve: [AlertRecord] = []
        public init() {}

        public var isEmpty: Bool { raise.isEmpty && update.isEmpty && resolve.isEmpty }
    }

    /// - Parameters:
    ///   - firing: the stored firing alerts.
    ///   - recentlyResolved: alerts resolved within the cooldown (any order).
    ///   - judged: the kinds this run evaluated successfully.
    public func plan(findings: [AlertFinding], firing: [AlertRecord], recentlyResolved: [AlertRecord],
                     judged: Set<AlertKind>, org: String, now: Date) -> Plan {
        var plan = Plan()
        var byFingerprint: [String: AlertFinding] = [:]
        var order: [String] = []
        for f in findings {
            if let seen = byFingerprint[f.fingerprint] {
                if f.severity > seen.severity { byFingerprint[f.fingerprint] = f }
            } else {
                byFingerprint[f.fingerprint] = f
                order.append(f.fingerprint)
            }
        }
        let firingByFingerprint = Dictionary(firing.map { ($0.fingerprint, $0) }) { a, b in (a.id ?? 0) <= (b.id ?? 0) ? a : b }
        let cooling = Set(recentlyResolved.filter { r in
            r.resolvedAt.map { now.timeIntervalSince($0) < cooldown } ?? false
        }.map(\.fingerprint))
        for fingerprint in order {
            let finding = byFingerprint[fingerprint]!
            if var existing = firingByFingerprint[fingerprint] {
                existing.severity = finding.severity
                existing.title = finding.title
                existing.message = finding.message
                existing.value = finding.value
                existing.threshold = finding.threshold
                existing.labels = finding.fullLabels
                plan.update.append(existing)
            } else {
                var alert = finding.record(org: org, now: now)
                if cooling.contains(fingerprint) {
                    alert.deliveryState = .suppressed
                    alert.labels["suppressed"] = "cooldown"
                }
                plan.raise.append(alert)
            }
        }
        for alert in firing where byFingerprint[alert.fingerprint] == nil {
            guard let kind = AlertKind(rawValue: alert.kind), judged.contains(kind) else { continue }
            plan.resolve.append(alert)
        }
        return plan
    }
}
