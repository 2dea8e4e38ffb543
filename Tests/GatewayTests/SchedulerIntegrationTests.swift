import FinOpsCore
import Foundation
import XCTest

/// The scheduler inside a running router: budget alerts from the budgets the gateway enforces
/// (real calls spend against them), notified through the routes, counted in /metrics.
final class SchedulerIntegrationTests: XCTestCase {
    func testBudgetCrossingsRaiseGradedAlertsThatAreSentAndCounted() async throws {
        let upstream = try MockUpstream(.json(Fixtures.chatCompletion))
        let pager = try MockUpstream(.json(#"{"status":"success"}"#))
        let chat = try MockUpstream(.json("ok"))
        let env = ["PD_KEY": "routing-key-SECRET", "CHAT_URL": chat.baseURL + "/services/SECRET"]
        let router = try RouterHarness(upstream: upstream.baseURL, environment: env) {
            // Two calls cost 2 × $0.0000243: over 100% of this limit, past 50% of the second.
            $0.spend.budgets = [
                BudgetPolicy(scope: .team, subject: "search", period: .monthly, limit: Money(usd: 0.00004), thresholds: [50, 100],
                             action: .alertOnly),
                BudgetPolicy(scope: .org, subject: "default", period: .daily, limit: Money(usd: 0.0001), thresholds: [25, 80]),
            ]
            $0.notifications.destinations = [
                .init(name: "oncall", kind: .pagerduty, url: pager.baseURL + "/enqueue", routingKeyEnv: "PD_KEY"),
                .init(name: "chat", kind: .slack, urlEnv: "CHAT_URL"),
            ]
            $0.notifications.routes = [.critical: ["oncall"], .warning: ["chat"]]
            // This run uses the real clock: whether a month-end forecast alert (a warning) fires
            // depends on today's date (none in a month's first 24 hours). Forecasts have their own
            // clock-driven tests; here they would make "nothing was a warning" depend on the day.
            $0.scheduler.budgetForecast = false
        }
        for _ in 0..<2 {
            let r = try await router.post(SpendFixtures.chat(), headers: SpendFixtures.team("search"))
            XCTAssertEqual(r.status, 200, r.text)
        }
        let (run, delivery) = try await router.app.runSchedulerOnce(now: Date())
        let budgetAlerts = run.raised.filter { $0.kind == "budget_threshold" }
        XCTAssertEqual(Set(budgetAlerts.map(\.fingerprint)), [
            "budget_threshold:team=search:period=monthly:threshold=50", "budget_threshold:team=search:period=monthly:threshold=100",
            "budget_threshold:org=default:period=daily:threshold=25",
        ])
        let full = try XCTUnwrap(budgetAlerts.first { $0.threshold == 100 })
        XCTAssertEqual(full.severity, .critical)
        XCTAssertEqual(full.team, "search")
        XCTAssertEqual(full.labels["spent_usd"], "0.0000486")
        XCTAssertEqual(full.labels["action"], "alert-only")
        XCTAssertEqual(budgetAlerts.first { $0.threshold == 50 }?.severity, .info, "no route for info: stored, not sent")
        XCTAssertEqual(budgetAlerts.first { $0.threshold == 50 }?.deliveryState, .suppressed)
        XCTAssertEqual(delivery.delivered, 1)
        XCTAssertEqual(pager.requests.count, 1)
        XCTAssertEqual(pager.requests.first?.body?["dedup_key"]?.stringValue, full.fingerprint)
        XCTAssertEqual(pager.requests.first?.body?["routing_key"]?.stringValue, "routing-key-SECRET")
        XCTAssertEqual(chat.requests.count, 0, "nothing was a warning")

        let metrics = try await router.metricsText()
        XCTAssertTrue(metrics.contains(#"finops_router_alerts_sent_total{destination="pagerduty",severity="critical"} 1"#), metrics)
        XCTAssertTrue(metrics.contains(#"finops_router_alerts_firing{severity="critical"} 1"#))
        XCTAssertTrue(metrics.contains(#"finops_router_alerts_firing{severity="info"} 2"#))
        XCTAssertTrue(metrics.contains(#"finops_router_scheduler_run_duration_seconds_count{job="detect"} 1"#))
        XCTAssertTrue(metrics.contains(#"finops_router_alerts_raised_total{severity="critical"} 1"#))
        XCTAssertFalse(metrics.contains("SECRET"))

        // Running again raises nothing and sends nothing: the crossings are already firing.
        let (again, _) = try await router.app.runSchedulerOnce(now: Date())
        XCTAssertEqual(again.raised.filter { $0.kind == "budget_threshold" }.count, 0)
        XCTAssertEqual(pager.requests.count, 1)
        await router.stop()
        for mock in [upstream, pager, chat] { await mock.stop() }
    }
}
