import FinOpsCore
import Yams

/// The operations sections of the config file: `metrics` (label vocabulary, budget gauges) and
/// `alert_rules` (thresholds of the generated Prometheus rules). Same rules as the rest: unknown
/// keys, wrong types and out-of-range values are located errors.
extension ConfigLoader {
    static func readOperationsSection(_ key: String, _ r: NodeReader, _ v: Node, _ p: String, _ config: inout RouterConfig) throws -> Bool {
        switch key {
        case "metrics":
            try r.object(v, p) { k, n, kp in
                switch k {
                case "teams": config.metrics.teams = try r.list(n, kp) { i, ip in try r.labelValue(i, ip) }
                case "budget_refresh_seconds": config.metrics.budgetRefreshSeconds = try r.double(n, kp, 1...3600)
                default: throw r.unknown(n, kp)
                }
            }
        case "alert_rules": try readAlertRules(r, v, p, &config.alertRules)
        default: return false
        }
        return true
    }

    private static func readAlertRules(_ r: NodeReader, _ node: Node, _ path: String, _ a: inout AlertRuleSettings) throws {
        try r.object(node, path) { k, n, kp in
            switch k {
            case "job": a.job = try r.labelValue(n, kp)
            case "runbook_base_url":
                let base = try r.string(n, kp)
                guard !base.isEmpty, !base.contains(where: { $0 == " " || $0 == "\"" }) else {
                    throw r.error(n, kp, "expected a folder path or URL without spaces or quotes")
                }
                a.runbookBaseURL = base.hasSuffix("/") ? String(base.dropLast()) : base
            case "budget_burn_rate":
                try r.object(n, kp) { bk, bn, bp in
                    guard bk == "windows" else { throw r.unknown(bn, bp) }
                    a.budgetBurnWindows = try r.list(bn, bp) { item, ip in try readBurnWindow(r, item, ip) }
                    guard !a.budgetBurnWindows.isEmpty else { throw r.error(bn, bp, "list at least one window") }
                }
            case "budget_exhausted":
                try r.object(n, kp) { bk, bn, bp in
                    switch bk {
                    case "ratio": a.budgetExhaustedRatio = try r.double(bn, bp, 0.01...10)
                    case "for": a.budgetExhaustedFor = try r.duration(bn, bp)
                    default: throw r.unknown(bn, bp)
                    }
                }
            case "spend_spike":
                try r.object(n, kp) { sk, sn, sp in
                    switch sk {
                    case "factor": a.spendSpikeFactor = try r.double(sn, sp, 1.01...1000)
                    case "min_usd": a.spendSpikeMinUSD = try r.double(sn, sp, 0...1e9)
                    case "for": a.spendSpikeFor = try r.duration(sn, sp)
                    default: throw r.unknown(sn, sp)
                    }
                }
            case "error_ratio": a.errorRatio = try readRatio(r, n, kp, a.errorRatio, 0.0001...1)
            case "provider_error_ratio": a.providerErrorRatio = try readRatio(r, n, kp, a.providerErrorRatio, 0.0001...1)
            case "failover_ratio": a.failoverRatio = try readRatio(r, n, kp, a.failoverRatio, 0.0001...1)
            case "latency_p95_seconds": a.latencyP95Seconds = try readRatio(r, n, kp, a.latencyP95Seconds, 0.001...3600)
            case "circuit_open": a.circuitOpenFor = try r.forOnly(n, kp)
            case "cache_hit_ratio_drop":
                try r.object(n, kp) { ck, cn, cp in
                    switch ck {
                    case "drop": a.cacheHitRatioDrop = try r.double(cn, cp, 0.01...0.99)
                    case "min_lookups_per_second": a.cacheMinLookupsPerSecond = try r.double(cn, cp, 0...1e6)
                    case "for": a.cacheHitRatioFor = try r.duration(cn, cp)
                    default: throw r.unknown(cn, cp)
                    }
                }
            case "telemetry_spill": a.telemetrySpillFor = try r.forOnly(n, kp)
            case "router_down": a.routerDownFor = try r.forOnly(n, kp)
            case "alert_delivery": a.alertDeliveryFor = try r.forOnly(n, kp)
            default: throw r.unknown(n, kp)
            }
        }
    }

    private static func readBurnWindow(_ r: NodeReader, _ node: Node, _ path: String) throws -> AlertRuleSettings.BurnWindow {
        var long: PromDuration?, short: PromDuration?, factor: Double?, wait: PromDuration?
        var severity = AlertRuleSettings.Severity.warning
        try r.object(node, path) { k, n, kp in
            switch k {
            case "long": long = try r.duration(n, kp)
            case "short": short = try r.duration(n, kp)
            case "factor": factor = try r.double(n, kp, 0.01...10_000)
            case "severity": severity = try r.enumValue(n, kp, AlertRuleSettings.Severity.self)
            case "for": wait = try r.duration(n, kp)
            default: throw r.unknown(n, kp)
            }
        }
        guard let long else { throw r.error(node, path + ".long", "every window needs long (e.g. 1h)") }
        guard let short else { throw r.error(node, path + ".short", "every window needs short (e.g. 5m)") }
        guard let factor else { throw r.error(node, path + ".factor", "every window needs factor (e.g. 14.4)") }
        guard short < long else { throw r.error(node, path + ".short", "must be shorter than long (\(long))") }
        // Without `for`: half the short window (at least 1m), close to the defaults' 2m/15m/1h/3h.
        let duration = wait ?? PromDuration(seconds: max(60, short.seconds / 2))
        return .init(long: long, short: short, factor: factor, severity: severity, duration: duration)
    }

    private static func readRatio(_ r: NodeReader, _ node: Node, _ path: String, _ defaults: AlertRuleSettings.RatioThreshold,
                                  _ range: ClosedRange<Double>) throws -> AlertRuleSettings.RatioThreshold {
        var t = defaults
        try r.object(node, path) { k, n, kp in
            switch k {
            case "warning": t.warning = try r.double(n, kp, range)
            case "critical": t.critical = n.scalar?.string == "none" ? nil : try r.double(n, kp, range)
            case "for": t.duration = try r.duration(n, kp)
            default: throw r.unknown(n, kp)
            }
        }
        if let critical = t.critical, critical <= t.warning {
            throw r.error(node, path + ".critical", "must be above warning (\(t.warning)), or none")
        }
        return t
    }
}

extension NodeReader {
    /// A Prometheus duration such as `5m`, `1h`, `3d`.
    func duration(_ node: Node, _ path: String) throws -> PromDuration {
        let text = try string(node, path)
        guard let d = PromDuration(text) else {
            throw error(node, path, "expected a duration such as 30s, 5m, 1h, 1d or 1w, got '\(text)'")
        }
        return d
    }

    /// A mapping with only `for: <duration>`.
    func forOnly(_ node: Node, _ path: String) throws -> PromDuration {
        var value: PromDuration?
        try object(node, path) { k, n, kp in
            guard k == "for" else { throw unknown(n, kp) }
            value = try duration(n, kp)
        }
        guard let value else { throw error(node, path + ".for", "expected for: <duration>") }
        return value
    }

    /// A value that becomes a Prometheus label value or selector: letters, digits, `-`, `_`, `.`.
    func labelValue(_ node: Node, _ path: String) throws -> String {
        let s = try string(node, path)
        guard !s.isEmpty, s.count <= 64, s.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
            throw error(node, path, "expected 1-64 letters, digits, '-', '_' or '.', got '\(s)'")
        }
        return s
    }
}
