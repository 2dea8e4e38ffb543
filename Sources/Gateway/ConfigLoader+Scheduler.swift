import FinOpsCore
import Yams

/// The `scheduler:` and `notifications:` sections. Same rules as the rest of the file:
/// unknown keys, wrong types and out-of-range values are located errors; so are a route that
/// names no destination and a secret's environment variable that is not set (checked at load,
/// so a typo never turns into alerts that silently go nowhere).
extension ConfigLoader {
    static func readSchedulerSection(_ key: String, _ r: NodeReader, _ v: Node, _ p: String, _ config: inout RouterConfig,
                                     environment: [String: String]) throws -> Bool {
        switch key {
        case "scheduler": try readScheduler(r, v, p, &config.scheduler)
        case "notifications": try readNotifications(r, v, p, &config.notifications, environment: environment)
        default: return false
        }
        return true
    }

    /// Cross-checks once everything is read: every route names a configured destination.
    static func finishScheduler(_ config: RouterConfig, file: String) throws {
        let names = Set(config.notifications.destinations.map(\.name))
        for severity in AlertSeverity.allCases {
            for (i, name) in (config.notifications.routes[severity] ?? []).enumerated() where !names.contains(name) {
                throw ConfigError(file: file, line: nil, key: "notifications.routes.\(severity.rawValue)[\(i)]",
                                  reason: "no destination named '\(name)' (known: \(names.sorted().joined(separator: ", ")))")
            }
        }
    }

    private static func readScheduler(_ r: NodeReader, _ node: Node, _ path: String, _ s: inout SchedulerSettings) throws {
        try r.object(node, path) { k, n, kp in
            switch k {
            case "enabled": s.enabled = try r.bool(n, kp)
            case "interval_seconds": s.intervalSeconds = try r.int(n, kp, 1...86_400)
            case "delivery_poll_seconds": s.deliveryPollSeconds = try r.int(n, kp, 1...3_600)
            case "cooldown_seconds": s.cooldownSeconds = try r.int(n, kp, 0...2_592_000)
            case "lease_seconds": s.leaseSeconds = try r.int(n, kp, 0...604_800)
            case "min_requests_per_hour": s.minRequestsPerHour = try r.int(n, kp, 1...1_000_000)
            case "min_requests_per_hour_per_call": s.minRequestsPerHourPerCall = try r.int(n, kp, 1...1_000_000)
            case "max_scopes": s.maxScopes = try r.int(n, kp, 1...100_000)
            case "min_agreeing_detectors": s.minAgreeingDetectors = try r.int(n, kp, 1...3)
            case "detectors": try readDetectors(r, n, kp, &s)
            case "budgets":
                try r.object(n, kp) { bk, bn, bp in
                    switch bk {
                    case "thresholds": s.budgetThresholds = try r.bool(bn, bp)
                    case "forecast": s.budgetForecast = try r.bool(bn, bp)
                    case "forecast_min_elapsed_hours": s.forecastMinElapsedHours = try r.int(bn, bp, 0...744)
                    case "forecast_ratio": s.forecastRatio = try r.double(bn, bp, 0.1...10)
                    case "critical_percent": s.budgetCriticalPercent = try r.int(bn, bp, 1...1_000)
                    case "warning_percent": s.budgetWarningPercent = try r.int(bn, bp, 1...1_000)
                    default: throw r.unknown(bn, bp)
                    }
                }
            case "severity":
                try r.object(n, kp) { kind, sn, sp in
                    guard let alertKind = AlertKind(rawValue: kind), alertKind != .budgetThreshold else {
                        throw r.error(sn, sp, "unknown alert kind; expected one of "
                                      + AlertKind.allCases.filter { $0 != .budgetThreshold }.map(\.rawValue).joined(separator: ", ")
                                      + " (budget thresholds are graded by scheduler.budgets.critical_percent / warning_percent)")
                    }
                    s.severities[alertKind] = try r.enumValue(sn, sp, AlertSeverity.self)
                }
            default: throw r.unknown(n, kp)
            }
        }
        if s.budgetWarningPercent > s.budgetCriticalPercent {
            throw r.error(node, path + ".budgets.warning_percent", "must not exceed critical_percent")
        }
    }

    private static func readDetectors(_ r: NodeReader, _ node: Node, _ path: String, _ s: inout SchedulerSettings) throws {
        try r.object(node, path) { k, n, kp in
            var enabled = true
            switch k {
            case "robust_z":
                var d = s.spike ?? RobustSpikeDetector()
                try r.object(n, kp) { dk, dn, dp in
                    switch dk {
                    case "enabled": enabled = try r.bool(dn, dp)
                    case "window_hours": d.windowHours = try r.int(dn, dp, 24...2_016)
                    case "z_threshold": d.zThreshold = try r.double(dn, dp, 1...100)
                    case "min_points": d.minPoints = try r.int(dn, dp, 8...2_016)
                    case "min_increase": d.minIncrease = try r.double(dn, dp, 0...100)
                    case "quiet_floor": d.quietFloor = try r.double(dn, dp, 0.01...10)
                    default: throw r.unknown(dn, dp)
                    }
                }
                s.spike = enabled ? d : nil
            case "iqr":
                var d = s.iqr ?? IQROutlierDetector()
                try r.object(n, kp) { dk, dn, dp in
                    switch dk {
                    case "enabled": enabled = try r.bool(dn, dp)
                    case "window_hours": d.windowHours = try r.int(dn, dp, 24...2_016)
                    case "k": d.k = try r.double(dn, dp, 0.5...50)
                    case "min_points": d.minPoints = try r.int(dn, dp, 8...2_016)
                    case "min_increase": d.minIncrease = try r.double(dn, dp, 0...100)
                    case "quiet_floor": d.quietFloor = try r.double(dn, dp, 0.01...10)
                    default: throw r.unknown(dn, dp)
                    }
                }
                s.iqr = enabled ? d : nil
            case "hour_of_week":
                var d = s.hourOfWeek ?? HourOfWeekDetector()
                try r.object(n, kp) { dk, dn, dp in
                    switch dk {
                    case "enabled": enabled = try r.bool(dn, dp)
                    case "weeks": d.weeks = try r.int(dn, dp, 2...12)
                    case "min_weeks": d.minWeeks = try r.int(dn, dp, 2...12)
                    case "z_threshold": d.zThreshold = try r.double(dn, dp, 1...100)
                    case "min_increase": d.minIncrease = try r.double(dn, dp, 0...100)
                    case "quiet_floor": d.quietFloor = try r.double(dn, dp, 0.01...10)
                    default: throw r.unknown(dn, dp)
                    }
                }
                if d.minWeeks > d.weeks { throw r.error(n, kp + ".min_weeks", "must not exceed weeks") }
                s.hourOfWeek = enabled ? d : nil
            case "drift":
                var d = s.drift ?? DriftDetector()
                try r.object(n, kp) { dk, dn, dp in
                    switch dk {
                    case "enabled": enabled = try r.bool(dn, dp)
                    case "recent_hours": d.recentHours = try r.int(dn, dp, 1...168)
                    case "baseline_hours": d.baselineHours = try r.int(dn, dp, 24...2_016)
                    case "min_consecutive_hours": d.minConsecutiveHours = try r.int(dn, dp, 1...168)
                    case "min_requests_per_hour": d.minRequestsPerHour = try r.int(dn, dp, 1...1_000_000)
                    case "min_change": d.minChange = try r.double(dn, dp, 0.01...100)
                    case "z_threshold": d.zThreshold = try r.double(dn, dp, 0...100)
                    default: throw r.unknown(dn, dp)
                    }
                }
                if d.minConsecutiveHours > d.recentHours {
                    throw r.error(n, kp + ".min_consecutive_hours", "must not exceed recent_hours")
                }
                s.drift = enabled ? d : nil
            default:
                throw r.error(n, kp, "unknown detector; expected robust_z, iqr, hour_of_week or drift")
            }
        }
    }
}
