import FinOpsCore
import Foundation
import Gateway
import XCTest

/// The `metrics:` and `alert_rules:` config sections: every key read, errors located.
final class AlertRulesConfigTests: XCTestCase {
    let catalog = DefaultPricing.catalog()

    private func parse(_ yaml: String) throws -> RouterConfig {
        try ConfigLoader.parse(yaml: yaml, file: "ops.yaml", environment: [:], catalog: catalog)
    }

    private func assertError(_ yaml: String, key: String, contains text: String, line: Int? = nil, at: UInt = #line) {
        XCTAssertThrowsError(try parse(yaml), line: at) { error in
            guard let e = error as? ConfigError else { return XCTFail("\(error)", line: at) }
            XCTAssertEqual(e.key, key, "\(e)", line: at)
            if let line { XCTAssertEqual(e.line, line, "\(e)", line: at) }
            XCTAssertTrue(e.description.contains(text), "\(e)", line: at)
        }
    }

    func testEveryKeyParses() throws {
        let c = try parse("""
        metrics: {teams: [search, ads-eu], budget_refresh_seconds: 30}
        alert_rules:
          job: llm-gateway
          runbook_base_url: https://git.example.com/ops/blob/main/docs/runbooks/
          budget_burn_rate:
            windows:
              - {long: 2h, short: 10m, factor: 10, severity: critical, for: 5m}
              - {long: 1d, short: 2h, factor: 2}
          budget_exhausted: {ratio: 0.9, for: 10m}
          spend_spike: {factor: 4, min_usd: 20, for: 30m}
          error_ratio: {warning: 0.01, critical: none, for: 10m}
          provider_error_ratio: {warning: 0.1, critical: 0.5}
          failover_ratio: {warning: 0.2, critical: 0.4, for: 15m}
          latency_p95_seconds: {warning: 5, critical: 30, for: 5m}
          circuit_open: {for: 10m}
          cache_hit_ratio_drop: {drop: 0.3, min_lookups_per_second: 1, for: 1h}
          telemetry_spill: {for: 20m}
          router_down: {for: 5m}
          alert_delivery: {for: 30m}
        """)
        XCTAssertEqual(c.metrics.teams, ["search", "ads-eu"])
        XCTAssertEqual(c.metrics.budgetRefreshSeconds, 30)
        let a = c.alertRules
        XCTAssertEqual(a.job, "llm-gateway")
        XCTAssertEqual(a.runbookBaseURL, "https://git.example.com/ops/blob/main/docs/runbooks")
        XCTAssertEqual(a.budgetBurnWindows, [
            .init(long: .hours(2), short: .minutes(10), factor: 10, severity: .critical, duration: .minutes(5)),
            .init(long: .days(1), short: .hours(2), factor: 2, severity: .warning, duration: .hours(1)),
        ])
        XCTAssertEqual(a.budgetExhaustedRatio, 0.9)
        XCTAssertEqual(a.budgetExhaustedFor, .minutes(10))
        XCTAssertEqual(a.spendSpikeFactor, 4)
        XCTAssertEqual(a.spendSpikeMinUSD, 20)
        XCTAssertEqual(a.spendSpikeFor, .minutes(30))
        XCTAssertEqual(a.errorRatio, .init(warning: 0.01, critical: nil, duration: .minutes(10)))
        XCTAssertEqual(a.providerErrorRatio, .init(warning: 0.1, critical: 0.5, duration: .minutes(10)))
        XCTAssertEqual(a.failoverRatio, .init(warning: 0.2, critical: 0.4, duration: .minutes(15)))
        XCTAssertEqual(a.latencyP95Seconds, .init(warning: 5, critical: 30, duration: .minutes(5)))
        XCTAssertEqual(a.circuitOpenFor, .minutes(10))
        XCTAssertEqual(a.cacheHitRatioDrop, 0.3)
        XCTAssertEqual(a.cacheMinLookupsPerSecond, 1)
        XCTAssertEqual(a.cacheHitRatioFor, .hours(1))
        XCTAssertEqual(a.telemetrySpillFor, .minutes(20))
        XCTAssertEqual(a.routerDownFor, .minutes(5))
        XCTAssertEqual(a.alertDeliveryFor, .minutes(30))
        // The metrics teams join the team label's vocabulary.
        XCTAssertEqual(c.metricTeams(policyTeams: ["ml"]), ["search", "ads-eu", "ml", "default"])
    }

    func testDefaultsWithoutTheSections() throws {
        let c = try parse("server: {port: 9000}")
        XCTAssertEqual(c.alertRules, AlertRuleSettings())
        XCTAssertEqual(c.metrics, MetricsSettings())
        XCTAssertEqual(c.alertRules.budgetBurnWindows.map(\.factor), [14.4, 6, 3, 1])
    }

    func testTheExampleConfigDocumentsTheDefaults() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let c = try ConfigLoader.load(path: root.appendingPathComponent("config/finops-router.example.yaml").path, environment: [:], catalog: catalog)
        XCTAssertEqual(c.alertRules, AlertRuleSettings(), "config/finops-router.example.yaml's alert_rules must list the defaults")
        XCTAssertEqual(c.metrics, MetricsSettings())
    }

    func testErrorsAreLocated() {
        assertError("alert_rules:\n  spend_spike: {factr: 2}", key: "alert_rules.spend_spike.factr", contains: "unknown key", line: 2)
        assertError("alert_rules:\n  circuit_open: {for: 5 minutes}", key: "alert_rules.circuit_open.for", contains: "expected a duration")
        assertError("alert_rules:\n  error_ratio: {warning: 0.2, critical: 0.1}", key: "alert_rules.error_ratio.critical", contains: "must be above warning")
        assertError("alert_rules:\n  error_ratio: {warning: 2}", key: "alert_rules.error_ratio.warning", contains: "out of range")
        assertError("alert_rules:\n  budget_burn_rate:\n    windows:\n      - {long: 5m, short: 1h, factor: 2}",
                    key: "alert_rules.budget_burn_rate.windows[0].short", contains: "must be shorter than long")
        assertError("alert_rules:\n  budget_burn_rate:\n    windows:\n      - {long: 1h, factor: 2}",
                    key: "alert_rules.budget_burn_rate.windows[0].short", contains: "needs short")
        assertError("alert_rules:\n  budget_burn_rate:\n    windows:\n      - {long: 1h, short: 5m, factor: 2, severity: page}",
                    key: "alert_rules.budget_burn_rate.windows[0].severity", contains: "expected one of critical, warning, info")
        assertError("alert_rules: {job: \"a b\"}", key: "alert_rules.job", contains: "expected 1-64 letters")
        assertError("metrics: {teams: [\"x{y}\"]}", key: "metrics.teams[0]", contains: "expected 1-64 letters")
        assertError("metrics: {budget_refresh_seconds: 0}", key: "metrics.budget_refresh_seconds", contains: "out of range")
    }
}
