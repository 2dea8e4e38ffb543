import FinOpsCore
import Gateway
import XCTest

/// `scheduler:` and `notifications:`: every key read, defaults kept, errors located, secrets
/// only by environment variable (which must be set).
final class SchedulerConfigTests: XCTestCase {
    let catalog = DefaultPricing.catalog()
    let env = ["PD_KEY": "pd-routing-key", "SLACK_URL": "https://hooks.slack.com/services/T/B/x", "HOOK_URL": "https://hooks.example/a",
               "HOOK_SECRET": "s3cret"]

    private func parse(_ yaml: String, environment: [String: String]? = nil) throws -> RouterConfig {
        try ConfigLoader.parse(yaml: yaml, file: "alerts.yaml", environment: environment ?? env, catalog: catalog)
    }

    private func assertError(_ yaml: String, key: String, contains text: String, line: Int? = nil,
                             environment: [String: String]? = nil, at: UInt = #line) {
        XCTAssertThrowsError(try parse(yaml, environment: environment), line: at) { error in
            guard let e = error as? ConfigError else { return XCTFail("\(error)", line: at) }
            XCTAssertEqual(e.key, key, "\(e)", line: at)
            if let line { XCTAssertEqual(e.line, line, "\(e)", line: at) }
            XCTAssertTrue(e.description.contains(text), "\(e)", line: at)
            for secret in self.env.values { XCTAssertFalse(e.description.contains(secret), "leaked a secret: \(e)", line: at) }
        }
    }

    func testDefaultsKeepTheFirstRunWorking() throws {
        let c = try parse("server: {port: 8080}")
        XCTAssertTrue(c.scheduler.enabled)
        XCTAssertEqual(c.scheduler.intervalSeconds, 300)
        XCTAssertNotNil(c.scheduler.spike)
        XCTAssertNotNil(c.scheduler.drift)
        XCTAssertEqual(c.notifications.destinations, [])
        XCTAssertEqual(c.notifications.routes, [:])
        XCTAssertEqual(RouterConfig().scheduler, c.scheduler)
    }

    func testEveryKeyParses() throws {
        let c = try parse("""
        scheduler:
          enabled: true
          interval_seconds: 120
          delivery_poll_seconds: 5
          cooldown_seconds: 1800
          lease_seconds: 600
          min_requests_per_hour: 10
          min_requests_per_hour_per_call: 40
          max_scopes: 50
          min_agreeing_detectors: 2
          detectors:
            robust_z: {window_hours: 168, z_threshold: 5, min_points: 24, min_increase: 0.3, quiet_floor: 0.8}
            iqr: {enabled: false}
            hour_of_week: {weeks: 3, min_weeks: 2, z_threshold: 7, min_increase: 1, quiet_floor: 1.5}
            drift: {recent_hours: 8, baseline_hours: 336, min_consecutive_hours: 4, min_requests_per_hour: 50, min_change: 0.4, z_threshold: 2.5}
          budgets: {thresholds: true, forecast: false, forecast_min_elapsed_hours: 48, forecast_ratio: 0.95, critical_percent: 90, warning_percent: 75}
          severity: {spend_spike: critical, latency_drift: info, budget_forecast: critical}
        notifications:
          timeout_ms: 3000
          max_attempts: 5
          retry_base_seconds: 10
          retry_max_seconds: 600
          send_resolved: false
          destinations:
            - {name: oncall, kind: pagerduty, routing_key_env: PD_KEY}
            - {name: eu-oncall, kind: pagerduty, routing_key_env: PD_KEY, url: "https://events.eu.pagerduty.com/v2/enqueue"}
            - {name: chat, kind: slack, url_env: SLACK_URL}
            - {name: audit, kind: webhook, url_env: HOOK_URL, secret_env: HOOK_SECRET}
          routes:
            critical: [oncall, eu-oncall, chat]
            warning: [chat]
            info: [audit]
        """)
        let s = c.scheduler
        XCTAssertEqual([s.intervalSeconds, s.deliveryPollSeconds, s.cooldownSeconds, s.leaseSeconds, s.minRequestsPerHour, s.maxScopes,
                        s.minAgreeingDetectors], [120, 5, 1800, 600, 10, 50, 2])
        XCTAssertEqual(s.spike, RobustSpikeDetector(windowHours: 168, zThreshold: 5, minPoints: 24, minIncrease: 0.3, quietFloor: 0.8))
        XCTAssertNil(s.iqr)
        XCTAssertEqual(s.hourOfWeek, HourOfWeekDetector(weeks: 3, minWeeks: 2, zThreshold: 7, minIncrease: 1, quietFloor: 1.5))
        XCTAssertEqual(s.drift, DriftDetector(recentHours: 8, baselineHours: 336, minConsecutiveHours: 4, minRequestsPerHour: 50,
                                              minChange: 0.4, zThreshold: 2.5))
        XCTAssertEqual(s.lookbackHours, 3 * 168 + 1)
        XCTAssertEqual(s.minRequestsPerHourPerCall, 40)
        XCTAssertEqual(s.minRequestsPerPoint, 10)
        XCTAssertFalse(s.budgetForecast)
        XCTAssertEqual([s.forecastMinElapsedHours, s.budgetCriticalPercent, s.budgetWarningPercent], [48, 90, 75])
        XCTAssertEqual(s.forecastRatio, 0.95)
        XCTAssertEqual(s.severity(for: .spendSpike), .critical)
        XCTAssertEqual(s.severity(for: .costDrift), .warning, "not overridden: the default")
        XCTAssertEqual(s.budgetSeverity(percent: 80), .warning)
        let n = c.notifications
        XCTAssertEqual([n.timeoutMs, n.maxAttempts], [3000, 5])
        XCTAssertEqual([n.retryBaseSeconds, n.retryMaxSeconds], [10, 600])
        XCTAssertFalse(n.sendResolved)
        XCTAssertEqual(n.destinations.map(\.name), ["oncall", "eu-oncall", "chat", "audit"])
        XCTAssertEqual(n.destinations[1].url, "https://events.eu.pagerduty.com/v2/enqueue")
        XCTAssertEqual(n.destinations(for: .critical).map(\.kind), [.pagerduty, .pagerduty, .slack])
        XCTAssertEqual(n.destinations(for: .info).first?.secretEnv, "HOOK_SECRET")
    }

    func testBadValuesAreLocatedErrors() {
        assertError("scheduler: {intervl_seconds: 60}", key: "scheduler.intervl_seconds", contains: "unknown key", line: 1)
        assertError("scheduler: {interval_seconds: 0}", key: "scheduler.interval_seconds", contains: "out of range")
        assertError("scheduler:\n  detectors: {ewma: {}}", key: "scheduler.detectors.ewma", contains: "unknown detector")
        assertError("scheduler:\n  detectors: {drift: {recent_hours: 2, min_consecutive_hours: 3}}",
                    key: "scheduler.detectors.drift.min_consecutive_hours", contains: "must not exceed recent_hours")
        assertError("scheduler:\n  severity: {spend_spike: urgent}", key: "scheduler.severity.spend_spike", contains: "urgent")
        assertError("scheduler:\n  severity: {budget_threshold: info}", key: "scheduler.severity.budget_threshold", contains: "critical_percent")
        assertError("scheduler:\n  budgets: {critical_percent: 80, warning_percent: 90}", key: "scheduler.budgets.warning_percent",
                    contains: "must not exceed")
        assertError("notifications:\n  destinations:\n    - {name: x, kind: email, url_env: HOOK_URL}",
                    key: "notifications.destinations[0].kind", contains: "email", line: 3)
    }

    func testRoutesMustNameConfiguredDestinations() {
        assertError("""
        notifications:
          destinations: [{name: chat, kind: slack, url_env: SLACK_URL}]
          routes: {critical: [chat, pager]}
        """, key: "notifications.routes.critical[1]", contains: "no destination named 'pager' (known: chat)")
        assertError("notifications:\n  routes: {urgent: [chat]}", key: "notifications.routes.urgent", contains: "unknown severity")
        assertError("""
        notifications:
          destinations: [{name: a, kind: slack, url_env: SLACK_URL}, {name: a, kind: slack, url_env: SLACK_URL}]
        """, key: "notifications.destinations[1].name", contains: "duplicate destination name 'a'")
    }

    func testSecretsComeOnlyFromSetEnvironmentVariables() {
        assertError("notifications:\n  destinations: [{name: p, kind: pagerduty, routing_key_env: PD_KEY}]",
                    key: "notifications.destinations[0].routing_key_env", contains: "environment variable PD_KEY is not set", environment: [:])
        assertError("notifications:\n  destinations: [{name: c, kind: slack, url_env: SLACK_URL}]",
                    key: "notifications.destinations[0].url_env", contains: "SLACK_URL is not set", environment: ["SLACK_URL": ""])
        assertError("notifications:\n  destinations: [{name: c, kind: slack, url_env: HOOK_SECRET}]",
                    key: "notifications.destinations[0].url_env", contains: "does not hold an http(s) URL")
        assertError("notifications:\n  destinations: [{name: c, kind: slack, url: \"https://hooks.slack.com/x\"}]",
                    key: "notifications.destinations[0].url", contains: "url_env")
        assertError("notifications:\n  destinations: [{name: p, kind: pagerduty, routing_key: abc}]",
                    key: "notifications.destinations[0].routing_key", contains: "routing_key_env")
        assertError("notifications:\n  destinations: [{name: w, kind: webhook, url_env: HOOK_URL}]",
                    key: "notifications.destinations[0].secret_env", contains: "needs secret_env")
        assertError("notifications:\n  destinations: [{name: s, kind: slack, url_env: SLACK_URL, secret_env: HOOK_SECRET}]",
                    key: "notifications.destinations[0].secret_env", contains: "for webhook destinations")
        assertError("notifications:\n  destinations: [{name: p, kind: pagerduty}]",
                    key: "notifications.destinations[0].routing_key_env", contains: "needs routing_key_env")
    }

    /// The example file spells out every scheduler key with its default: they must be the defaults.
    func testTheExampleConfigDocumentsTheRealDefaults() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let config = try ConfigLoader.load(path: root.appendingPathComponent("config/finops-router.example.yaml").path,
                                           environment: [:], catalog: catalog)
        XCTAssertEqual(config.scheduler, SchedulerSettings())
        XCTAssertEqual(config.notifications, NotificationSettings())
    }
}
