/// The `alert_rules:` config section: thresholds of the Prometheus rules that
/// `finops-router alerts generate` writes. Every default is documented in
/// config/finops-router.example.yaml and is what the committed alerts/finops-router.rules.yml uses.
public struct AlertRuleSettings: Sendable, Equatable {
    public enum Severity: String, Sendable, Equatable, CaseIterable {
        case critical, warning, info
    }

    /// One multi-window burn-rate condition: fires when spend runs at `factor` times the rate that
    /// would use exactly the whole budget in its period, over both the long and the short window.
    public struct BurnWindow: Sendable, Equatable {
        public var long: PromDuration
        public var short: PromDuration
        public var factor: Double
        public var severity: Severity
        /// How long both windows must agree before the alert fires.
        public var duration: PromDuration
        public init(long: PromDuration, short: PromDuration, factor: Double, severity: Severity, duration: PromDuration) {
            self.long = long
            self.short = short
            self.factor = factor
            self.severity = severity
            self.duration = duration
        }
    }

    /// A ratio alert with a warning and a critical threshold (critical nil = warning only).
    public struct RatioThreshold: Sendable, Equatable {
        public var warning: Double
        public var critical: Double?
        public var duration: PromDuration
        public init(warning: Double, critical: Double?, duration: PromDuration) {
            self.warning = warning
            self.critical = critical
            self.duration = duration
        }
    }

    /// The Prometheus `job` label of the router's scrape target.
    public var job = "finops-router"
    /// Prefix of every `runbook_url`: the repo-relative folder by default, or e.g.
    /// `https://git.example.com/finops-router/blob/main/docs/runbooks`.
    public var runbookBaseURL = "docs/runbooks"
    /// The Google SRE workbook's four pairs: 2% of a 30-day budget in 1 h, 5% in 6 h, 10% in 1 d, 10% in 3 d.
    public var budgetBurnWindows: [BurnWindow] = [
        BurnWindow(long: .hours(1), short: .minutes(5), factor: 14.4, severity: .critical, duration: .minutes(2)),
        BurnWindow(long: .hours(6), short: .minutes(30), factor: 6, severity: .critical, duration: .minutes(15)),
        BurnWindow(long: .days(1), short: .hours(2), factor: 3, severity: .warning, duration: .hours(1)),
        BurnWindow(long: .days(3), short: .hours(6), factor: 1, severity: .warning, duration: .hours(3)),
    ]
    /// Utilization at which `FinOpsRouterBudgetExhausted` fires (1 = 100% of the limit).
    public var budgetExhaustedRatio = 1.0
    public var budgetExhaustedFor = PromDuration.minutes(5)
    /// A team's spend in the last hour above `factor` times the same hour a week earlier, and above `minUSD`.
    public var spendSpikeFactor = 3.0
    public var spendSpikeMinUSD = 5.0
    public var spendSpikeFor = PromDuration.minutes(15)
    /// Share of requests answered 5xx.
    public var errorRatio = RatioThreshold(warning: 0.02, critical: 0.1, duration: .minutes(5))
    /// Share of a provider's attempts that failed (client errors and cancellations excluded).
    public var providerErrorRatio = RatioThreshold(warning: 0.05, critical: 0.25, duration: .minutes(10))
    /// Share of requests that needed a failover.
    public var failoverRatio = RatioThreshold(warning: 0.1, critical: nil, duration: .minutes(10))
    /// p95 of the whole request (streams to their last byte), per provider.
    public var latencyP95Seconds = RatioThreshold(warning: 20, critical: 60, duration: .minutes(10))
    /// A provider:model circuit open this long.
    public var circuitOpenFor = PromDuration.minutes(5)
    /// Cache hit ratio over the last hour below (1 - drop) times the same hour a day earlier,
    /// with at least `cacheMinLookupsPerSecond` lookups.
    public var cacheHitRatioDrop = 0.5
    public var cacheMinLookupsPerSecond = 0.05
    public var cacheHitRatioFor = PromDuration.minutes(30)
    /// Rows waiting in the spill file this long (the telemetry database is down or slow).
    public var telemetrySpillFor = PromDuration.minutes(10)
    /// `up == 0`, and the router's series absent, for this long.
    public var routerDownFor = PromDuration.minutes(2)
    /// Alert notifications failing this long.
    public var alertDeliveryFor = PromDuration.minutes(15)

    public init() {}
}
