/// The `scheduler:` section: how often the alert scheduler runs, which detectors it uses with
/// which thresholds, cooldown, and the severity of each alert kind. The defaults keep the
/// embedded first run useful: on, every 5 minutes, every detector, alerts stored (sent only
/// where `notifications` routes them).
public struct SchedulerSettings: Sendable, Equatable {
    public var enabled = true
    /// Seconds between detection runs.
    public var intervalSeconds = 300
    /// Seconds between passes over pending deliveries (retries wait their own backoff).
    public var deliveryPollSeconds = 15
    /// After an alert resolves, the same condition firing again within this many seconds is
    /// stored but not notified.
    public var cooldownSeconds = 3_600
    /// Leader lease: the replica holding it runs detection; another takes over once it lapses.
    /// 0 = three intervals.
    public var leaseSeconds = 0
    /// An hour with fewer requests is not judged for spend or volume spikes (a couple of calls
    /// to a big model would otherwise "spike" a small team's spend every day).
    public var minRequestsPerHour = 20
    /// …and one with fewer is not judged for cost-per-request or p95-latency spikes: the mean
    /// of a few calls swings with one big prompt, and the p95 of fewer than 100 calls is just
    /// its slowest five.
    public var minRequestsPerHourPerCall = 100
    /// In the history, hours with fewer requests than this (a quarter of
    /// `minRequestsPerHourPerCall`, at least 1) have no cost-per-request or latency value.
    public var minRequestsPerPoint: Int { max(1, minRequestsPerHourPerCall / 4) }
    /// Scopes (teams, team × use case) judged per run, busiest first; the rest are counted as skipped.
    public var maxScopes = 500
    /// Spike detectors that must agree before a spike alert is raised (1 = any of them). Two by
    /// default: the rolling day-type view and the weekly pattern rarely both see noise.
    public var minAgreeingDetectors = 2
    /// nil = that detector is off.
    public var spike: RobustSpikeDetector? = RobustSpikeDetector()
    public var iqr: IQROutlierDetector? = IQROutlierDetector()
    public var hourOfWeek: HourOfWeekDetector? = HourOfWeekDetector()
    public var drift: DriftDetector? = DriftDetector()
    public var budgetThresholds = true
    public var budgetForecast = true
    /// No forecast alert before this many hours of the budget window have passed.
    public var forecastMinElapsedHours = 24
    /// A forecast alert when the projected end-of-window spend reaches this share of the limit.
    public var forecastRatio = 1.0
    /// Per-kind severity overrides (`scheduler.severity.<kind>`).
    public var severities: [AlertKind: AlertSeverity] = [:]
    /// Budget thresholds at or above these percents are critical / warning; lower ones info.
    public var budgetCriticalPercent = 100
    public var budgetWarningPercent = 80

    public init() {}

    public func severity(for kind: AlertKind) -> AlertSeverity { severities[kind] ?? kind.defaultSeverity }

    public func budgetSeverity(percent: Int) -> AlertSeverity {
        percent >= budgetCriticalPercent ? .critical : percent >= budgetWarningPercent ? .warning : .info
    }

    public var effectiveLeaseSeconds: Int { leaseSeconds > 0 ? leaseSeconds : 3 * intervalSeconds }

    /// Hours of hourly rollups a run reads: the longest window any enabled detector needs,
    /// plus the judged hour.
    public var lookbackHours: Int {
        let windows = [spike?.windowHours ?? 0, iqr?.windowHours ?? 0,
                       (hourOfWeek?.weeks ?? 0) * HourOfWeekDetector.hoursPerWeek,
                       drift.map { $0.recentHours + $0.baselineHours } ?? 0]
        return max(1, windows.max() ?? 0) + 1
    }
}
