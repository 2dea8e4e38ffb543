import FinOpsCore
import Observability
import XCTest

/// Label bounds and the series pre-created for the scheduler, on a metrics registry alone.
final class RouterMetricsTests: XCTestCase {
    func scrape(_ m: RouterMetrics) -> [String] {
        String(decoding: m.exposition(), as: UTF8.self).split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init)
    }

    func testUnknownTeamsModelsAndProvidersAreOther() {
        let m = RouterMetrics(labels: LabelVocabulary(teams: ["search"], models: ["gpt-4o"], providers: ["openai"]))
        m.recordRequest(team: "search", provider: "openai", model: "gpt-4o", status: .ok, httpStatus: 200,
                        usage: TokenUsage(inputTokens: 10, outputTokens: 5), cost: Money(usd: 0.5), baselineCost: Money(usd: 2),
                        latencySeconds: 0.2, ttftSeconds: nil, endpoint: "chat")
        m.recordRequest(team: "eve-\(UUID())", provider: "evil", model: "gpt-9", status: .ok, httpStatus: 200,
                        usage: nil, cost: Money(usd: 1), latencySeconds: 0.2, ttftSeconds: nil, endpoint: "chat")
        let lines = scrape(m)
        XCTAssertTrue(lines.contains(#"finops_router_cost_usd_total{team="search",provider="openai",model="gpt-4o"} 0.5"#), "\(lines)")
        XCTAssertTrue(lines.contains(#"finops_router_savings_usd_total{team="search",provider="openai",model="gpt-4o"} 1.5"#))
        XCTAssertTrue(lines.contains(#"finops_router_cost_usd_total{team="other",provider="other",model="other"} 1.0"#), "\(lines)")
        XCTAssertFalse(lines.contains { $0.contains("eve-") || $0.contains("gpt-9") || $0.contains("evil") })
    }

    func testSchedulerSeriesExistAtZeroAndStayBounded() {
        let m = RouterMetrics()
        let before = scrape(m)
        XCTAssertTrue(before.contains(#"finops_router_alerts_sent_total{destination="pagerduty",severity="critical"} 0"#), "\(before)")
        XCTAssertTrue(before.contains(#"finops_router_alerts_failed_total{destination="slack",severity="warning"} 0"#))
        XCTAssertTrue(before.contains(#"finops_router_alerts_firing{severity="info"} 0.0"#), "\(before)")
        XCTAssertTrue(before.contains(#"finops_router_scheduler_run_duration_seconds_count{job="detect"} 0"#), "\(before)")
        m.recordAlertDelivery(destination: "slack", severity: "warning", succeeded: false)
        m.recordAlertDelivery(destination: "https://evil.example/\(UUID())", severity: "sev0", succeeded: true)
        m.setAlertsFiring(severity: "critical", count: 3)
        for i in 0..<100 { m.recordSchedulerRun(job: "job-\(i)", seconds: 0.5) }
        let after = scrape(m)
        XCTAssertTrue(after.contains(#"finops_router_alerts_failed_total{destination="slack",severity="warning"} 1"#))
        XCTAssertTrue(after.contains(#"finops_router_alerts_sent_total{destination="other",severity="other"} 1"#))
        XCTAssertTrue(after.contains(#"finops_router_alerts_firing{severity="critical"} 3.0"#))
        let jobs = Set(after.filter { $0.hasPrefix("finops_router_scheduler_run_duration_seconds_count") })
        XCTAssertEqual(jobs.count, 16 + 1, "job label capped at 16 names (detect, deliver and 14 more) plus other: \(jobs)")
        XCTAssertTrue(after.contains(#"finops_router_scheduler_run_duration_seconds_count{job="other"} 86"#), "\(jobs)")
    }

    func testBudgetGaugesFollowTheBudgetsInForce() {
        let m = RouterMetrics()
        m.setBudgets([.init(scope: .team, subject: "search", period: .monthly, limit: Money(usd: 100), spent: Money(usd: 25)),
                      .init(scope: .org, subject: "acme", period: .daily, limit: Money(usd: 50), spent: Money(usd: 60))])
        var lines = scrape(m)
        XCTAssertTrue(lines.contains(#"finops_router_budget_utilization_ratio{scope="team",subject="search",period="monthly"} 0.25"#), "\(lines)")
        XCTAssertTrue(lines.contains(#"finops_router_budget_limit_usd{scope="org",subject="acme",period="daily"} 50.0"#))
        XCTAssertTrue(lines.contains(#"finops_router_budget_utilization_ratio{scope="org",subject="acme",period="daily"} 1.2"#))
        m.setBudgets([.init(scope: .org, subject: "acme", period: .daily, limit: Money(usd: 50), spent: Money(usd: 10))])
        lines = scrape(m)
        XCTAssertFalse(lines.contains { $0.contains(#"subject="search""#) }, "a removed budget keeps its series")
        XCTAssertTrue(lines.contains(#"finops_router_budget_utilization_ratio{scope="org",subject="acme",period="daily"} 0.2"#))
    }

    func testCatalogNamesFollowTheConventions() {
        XCTAssertEqual(Set(MetricCatalog.all.map(\.name)).count, MetricCatalog.all.count)
        for spec in MetricCatalog.all {
            XCTAssertTrue(spec.name.hasPrefix("finops_router_"))
            XCTAssertEqual(spec.kind == .counter, spec.name.hasSuffix("_total"), spec.name)
            XCTAssertFalse(spec.name.contains("_ms") || spec.name.contains("milli") || spec.name.contains("percent"), spec.name)
            XCTAssertFalse(spec.labels.contains { ["user", "use_case", "key", "request_id"].contains($0) }, spec.name)
        }
    }
}
