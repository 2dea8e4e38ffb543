import FinOpsCore

/// The alerting rules, mixin style: CamelCase names, a `severity` label (critical, warning,
/// info), `summary`, `description` and `runbook_url` annotations. An alert with a warning and a
/// critical threshold is two rules with the same name, so Alertmanager can inhibit one by the other.
public enum AlertRules {
    typealias M = MetricCatalog
    typealias R = RecordingRules
    typealias Severity = AlertRuleSettings.Severity

    /// Every alert name, in file order; each has `docs/runbooks/<name>.md`.
    public static let names = [
        "FinOpsRouterBudgetBurnRate", "FinOpsRouterBudgetExhausted", "FinOpsRouterSpendSpike",
        "FinOpsRouterErrorRatioHigh", "FinOpsRouterProviderErrorRatioHigh", "FinOpsRouterFailoverRatioHigh",
        "FinOpsRouterLatencyP95High", "FinOpsRouterCircuitOpen", "FinOpsRouterCacheHitRatioDrop",
        "FinOpsRouterTelemetrySpilling", "FinOpsRouterTelemetryRowsDropped", "FinOpsRouterAlertDeliveryFailing",
        "FinOpsRouterDown", "FinOpsRouterAbsent",
    ]

    /// Budget burn, budget exhausted, spend spike.
    public static func spend(_ s: AlertRuleSettings) -> [PromRule] {
        let b = Builder(settings: s)
        return b.budget() + [b.spendSpike()]
    }

    /// Errors, failover, latency, circuits, cache, telemetry, alert delivery.
    public static func service(_ s: AlertRuleSettings) -> [PromRule] {
        let b = Builder(settings: s)
        return b.service() + b.telemetry() + [b.alertDelivery()]
    }

    /// Router down or absent.
    public static func availability(_ s: AlertRuleSettings) -> [PromRule] { Builder(settings: s).availability() }

    struct Builder {
        let settings: AlertRuleSettings
        var job: String { settings.job }

        func alert(_ name: String, _ expr: String, for duration: PromDuration?, _ severity: Severity,
                   extraLabels: [(String, String)] = [], summary: String, description: String) -> PromRule {
            precondition(AlertRules.names.contains(name), "\(name) is missing from AlertRules.names")
            return PromRule(kind: .alert(name), expr: expr, duration: duration,
                            labels: [("severity", severity.rawValue)] + extraLabels,
                            annotations: [("summary", summary), ("description", description),
                                          ("runbook_url", "\(settings.runbookBaseURL)/\(name).md")])
        }

        /// The rules for one threshold pair: critical first when set.
        /// `description` gets the threshold as shown to people: a percentage for ratios, seconds otherwise.
        func leveled(_ name: String, _ t: AlertRuleSettings.RatioThreshold, percent: Bool = true, _ expr: (String) -> String,
                     summary: String, description: (String) -> String) -> [PromRule] {
            let shown = { (v: Double) in percent ? promNumber((v * 100 * 1e6).rounded() / 1e6) + "%" : promNumber(v) + "s" }
            var out: [PromRule] = []
            if let critical = t.critical {
                out.append(alert(name, expr(promNumber(critical)), for: t.duration, .critical, summary: summary,
                                 description: description(shown(critical))))
            }
            out.append(alert(name, expr(promNumber(t.warning)), for: t.duration, .warning, summary: summary,
                             description: description(shown(t.warning))))
            return out
        }

        func budget() -> [PromRule] {
            let burns = settings.budgetBurnWindows.map { w in
                alert("FinOpsRouterBudgetBurnRate", """
                    \(R.burnRate(w.long)) > \(promNumber(w.factor))
                    and
                    \(R.burnRate(w.short)) > \(promNumber(w.factor))
                    """, for: w.duration, w.severity,
                      extraLabels: [("long_window", w.long.description), ("short_window", w.short.description)],
                      summary: "Budget {{ $labels.scope }}/{{ $labels.subject }} ({{ $labels.period }}) is burning fast.",
                      description: "Spend over the last \(w.long) and \(w.short) runs at {{ $value | printf \"%.1f\" }}x the rate "
                        + "that would use the whole {{ $labels.period }} budget of {{ $labels.scope }} {{ $labels.subject }} "
                        + "(threshold \(promNumber(w.factor))x).")
            }
            let exhausted = alert("FinOpsRouterBudgetExhausted", """
                max by (scope, subject, period) (\(M.budgetUtilization.name)) >= \(promNumber(settings.budgetExhaustedRatio))
                """, for: settings.budgetExhaustedFor, .warning,
                summary: "Budget {{ $labels.scope }}/{{ $labels.subject }} ({{ $labels.period }}) is used up.",
                description: "{{ $labels.scope }} {{ $labels.subject }} has spent {{ $value | humanizePercentage }} of its "
                    + "{{ $labels.period }} budget (threshold \(promNumber(settings.budgetExhaustedRatio * 100))%); "
                    + "the budget's action (block, downgrade or alert-only) now applies until the window resets.")
            return burns + [exhausted]
        }

        func spendSpike() -> PromRule {
            alert("FinOpsRouterSpendSpike", """
                \(R.teamSpendPerHour) > \(promNumber(settings.spendSpikeFactor)) * (\(R.teamSpendPerHour) offset 1w)
                and
                \(R.teamSpendPerHour) > \(promNumber(settings.spendSpikeMinUSD))
                """, for: settings.spendSpikeFor, .warning,
                summary: "Team {{ $labels.team }} spends far more than at this hour last week.",
                description: "Team {{ $labels.team }} spent {{ $value | printf \"$%.2f\" }} in the last hour, more than "
                    + "\(promNumber(settings.spendSpikeFactor))x the same hour one week ago (and over $\(promNumber(settings.spendSpikeMinUSD))).")
        }

        func service() -> [PromRule] {
            leveled("FinOpsRouterErrorRatioHigh", settings.errorRatio, { "\(R.errorRatio) > \($0)" },
                    summary: "The router answers too many requests with 5xx.",
                    description: { "{{ $value | humanizePercentage }} of requests over 5 minutes ended in a 5xx (threshold \($0))." })
            + leveled("FinOpsRouterProviderErrorRatioHigh", settings.providerErrorRatio, { "\(R.providerErrorRatio) > \($0)" },
                      summary: "Provider {{ $labels.provider }} fails too many calls.",
                      description: { "{{ $value | humanizePercentage }} of attempts on provider {{ $labels.provider }} failed "
                          + "over 5 minutes (timeouts, 5xx, 429, connection errors; threshold \($0))." })
            + leveled("FinOpsRouterFailoverRatioHigh", settings.failoverRatio, { "\(R.failoverRatio) > \($0)" },
                      summary: "Many requests need a failover.",
                      description: { "{{ $value | humanizePercentage }} of requests over 5 minutes were served by a later "
                          + "deployment of their failover chain (threshold \($0))." })
            + leveled("FinOpsRouterLatencyP95High", settings.latencyP95Seconds, percent: false, { "\(R.latencyP95) > \($0)" },
                      summary: "Requests through provider {{ $labels.provider }} are slow.",
                      description: { "p95 request duration through {{ $labels.provider }} is {{ $value | humanizeDuration }} "
                          + "over 5 minutes (threshold \($0))." })
            + [alert("FinOpsRouterCircuitOpen", "max by (provider, model) (\(M.circuitState.name)) == 2",
                     for: settings.circuitOpenFor, .warning,
                     summary: "Circuit open for {{ $labels.provider }}:{{ $labels.model }}.",
                     description: "The circuit breaker of {{ $labels.provider }}:{{ $labels.model }} has been open for "
                        + "\(settings.circuitOpenFor): calls skip it and fail over (or get 503 if nothing is left)."),
               alert("FinOpsRouterCacheHitRatioDrop", """
                   \(R.cacheHitRatio) < \(promNumber(1 - settings.cacheHitRatioDrop)) * (\(R.cacheHitRatio) offset 1d)
                   and
                   \(R.cacheLookupRate) > \(promNumber(settings.cacheMinLookupsPerSecond))
                   """, for: settings.cacheHitRatioFor, .info,
                     summary: "The response cache hit ratio dropped.",
                     description: "Cache hit ratio over the last hour is {{ $value | humanizePercentage }}, less than "
                        + "\(promNumber((1 - settings.cacheHitRatioDrop) * 100))% of the same hour yesterday: "
                        + "spend rises by what the cache used to save.")]
        }

        func telemetry() -> [PromRule] {
            [alert("FinOpsRouterTelemetrySpilling", "\(M.telemetrySpillPending.name) > 0", for: settings.telemetrySpillFor, .warning,
                   summary: "Telemetry rows wait in the spill file on {{ $labels.instance }}.",
                   description: "{{ $value }} telemetry rows have waited in the spill file for \(settings.telemetrySpillFor): "
                    + "the telemetry database is down or too slow. Spend reports and budgets lag until they are replayed."),
             alert("FinOpsRouterTelemetryRowsDropped", """
                 increase(\(M.telemetryDropped.name)[5m]) > 0
                 or
                 increase(\(M.telemetrySpillErrors.name)[5m]) > 0
                 """, for: nil, .critical,
                   summary: "Telemetry rows are being lost on {{ $labels.instance }}.",
                   description: "Telemetry rows were dropped or could not be spilled in the last 5 minutes: "
                    + "spend is going unrecorded.")]
        }

        func alertDelivery() -> PromRule {
            alert("FinOpsRouterAlertDeliveryFailing", """
                sum by (destination) (rate(\(M.alertsFailed.name)[15m])) > 0
                unless
                sum by (destination) (rate(\(M.alertsSent.name)[15m])) > 0
                """, for: settings.alertDeliveryFor, .warning,
                summary: "Alert notifications to {{ $labels.destination }} are failing.",
                description: "Every notification to {{ $labels.destination }} failed over the last 15 minutes, "
                    + "for \(settings.alertDeliveryFor): the scheduler's alerts are not reaching anyone there.")
        }

        func availability() -> [PromRule] {
            [alert("FinOpsRouterDown", "up{job=\"\(job)\"} == 0", for: settings.routerDownFor, .critical,
                   summary: "FinOps Router {{ $labels.instance }} is down.",
                   description: "Prometheus could not scrape {{ $labels.instance }} (job \(job)) for \(settings.routerDownFor)."),
             alert("FinOpsRouterAbsent", "absent(up{job=\"\(job)\"})", for: settings.routerDownFor, .critical,
                   summary: "No FinOps Router target is being scraped.",
                   description: "Prometheus has had no target with job=\"\(job)\" for \(settings.routerDownFor): "
                    + "the router is gone or its scrape config is broken.")]
        }
    }
}

/// `finops-router alerts generate`: the whole rule file, deterministic for a given config.
public enum AlertRuleFile {
    public static let fileName = "finops-router.rules.yml"

    /// Each group holds its recording rules first and then the alerts that read them: rules of a
    /// group are evaluated in order, so an alert never reads a recording from an older cycle
    /// (separate groups run in no guaranteed order, which also makes promtool tests flaky).
    public static func groups(_ s: AlertRuleSettings) -> [PromRuleGroup] {
        [PromRuleGroup(name: "finops-router.spend", rules: RecordingRules.spend(s) + AlertRules.spend(s)),
         PromRuleGroup(name: "finops-router.service", rules: RecordingRules.service() + AlertRules.service(s)),
         PromRuleGroup(name: "finops-router.availability", rules: AlertRules.availability(s))]
    }

    public static func render(_ s: AlertRuleSettings) -> String {
        PromRuleFile.render(groups(s), header: [
            "Generated by `finops-router alerts generate` from the config's alert_rules section; do not edit.",
            "Regenerate after changing thresholds; CI fails when this file differs from a fresh generation.",
        ])
    }
}
