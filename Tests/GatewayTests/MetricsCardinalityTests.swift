import FinOpsCore
import Observability
import XCTest

/// /metrics of a real router: a flood of invented teams, users, use cases and model strings
/// adds no series; every family in the scrape is one MetricCatalog declares; budget gauges.
final class MetricsCardinalityTests: XCTestCase {
    /// Sample lines (one per series sample) and family names of a scrape.
    static func series(_ text: String) -> (lines: [String], families: Set<String>) {
        let lines = text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }.map(String.init)
        let families = Set(text.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }.map { String($0.split(separator: " ")[2]) })
        return (lines, families)
    }

    static func value(_ lines: [String], _ prefix: String) -> Double? {
        lines.first { $0.hasPrefix(prefix + " ") }.flatMap { Double($0.split(separator: " ").last!) }
    }

    func testAFloodOfRandomTeamsUsersUseCasesAndModelsCannotGrowTheSeries() async throws {
        let mock = try MockUpstream(.json(Fixtures.chatCompletion))
        let router = try RouterHarness(upstream: mock.baseURL) {
            $0.spend.budgets = [BudgetPolicy(scope: .team, subject: "search", period: .monthly, limit: Money(usd: 1000))]
            $0.metrics.teams = ["ads"]
        }
        func call(team: String, model: String = "gpt-4o-mini") async throws -> Int {
            let headers = SpendFixtures.team(team) + [("X-FinOps-User", "u-\(UUID())"), ("X-FinOps-Use-Case", "uc-\(UUID())")]
            return try await router.post(SpendFixtures.chat(model: model), headers: headers).status
        }
        // Warm-up: one of each kind of request, so every series the flood could touch exists.
        let s1 = try await call(team: "search"); XCTAssertEqual(s1, 200)
        let s2 = try await call(team: "ads"); XCTAssertEqual(s2, 200)
        let s3 = try await call(team: "t-\(UUID())"); XCTAssertEqual(s3, 200)
        let s4 = try await call(team: "t-\(UUID())", model: "gpt-\(UUID())"); XCTAssertEqual(s4, 404)
        await router.app.refreshBudgetMetrics()
        let before = Self.series(try await router.metricsText())
        let otherBefore = Self.value(before.lines, #"finops_router_requests_total{endpoint="chat_completions",team="other",provider="openai",model="gpt-4o-mini",status="ok",code="2xx"}"#)
        XCTAssertEqual(otherBefore, 1, before.lines.joined(separator: "\n"))

        // The flood: 200 calls, each with a new team, user and use case; a third ask for an invented model.
        var served = 0
        for i in 0..<200 {
            let invented = i % 3 == 0
            let status = try await call(team: "team-\(UUID())", model: invented ? "claude-\(UUID().uuidString.prefix(8))-mini" : "gpt-4o-mini")
            XCTAssertEqual(status, invented ? 404 : 200)
            if !invented { served += 1 }
        }
        await router.app.refreshBudgetMetrics()
        let text = try await router.metricsText()
        let after = Self.series(text)
        XCTAssertEqual(after.lines.count, before.lines.count,
                       "series grew: \(Set(after.lines.map { $0.split(separator: " ")[0] }).subtracting(before.lines.map { $0.split(separator: " ")[0] }))")
        print("series before the flood: \(before.lines.count), after 200 random teams/users/use cases/models: \(after.lines.count)")
        // The flood was counted, as `other`, and no invented value leaked into a label.
        XCTAssertEqual(Self.value(after.lines, #"finops_router_requests_total{endpoint="chat_completions",team="other",provider="openai",model="gpt-4o-mini",status="ok",code="2xx"}"#),
                       Double(1 + served))
        XCTAssertFalse(text.contains("team-") || text.contains("claude-") || text.contains("u-") || text.contains("uc-"))

        // Every family the router exposes is declared once in the catalog, with its help text.
        let declared = Dictionary(uniqueKeysWithValues: MetricCatalog.all.map { ($0.name, $0) })
        for family in after.families {
            XCTAssertNotNil(declared[family], "\(family) is exposed but not in MetricCatalog")
            if let spec = declared[family] { XCTAssertTrue(text.contains("# HELP \(family) \(spec.help)\n"), family) }
        }
        let M = MetricCatalog.self
        for spec in [M.requests, M.tokens, M.cost, M.requestDuration, M.upstreamAttempts, M.rejected, M.budgetLimit,
                     M.budgetUtilization, M.alertsSent, M.schedulerRunDuration, M.telemetryDropped, M.telemetryQueueCapacity] {
            XCTAssertTrue(after.families.contains(spec.name), "\(spec.name) missing from the scrape")
        }
        await router.stop()
        await mock.stop()
    }

    func testBudgetGaugesShowLimitAndUtilizationOfConfiguredSubjectsOnly() async throws {
        let mock = try MockUpstream(.json(Fixtures.chatCompletion))
        let router = try RouterHarness(upstream: mock.baseURL) {
            $0.spend.budgets = [
                BudgetPolicy(scope: .team, subject: "search", period: .monthly, limit: Money(usd: 0.001)),
                BudgetPolicy(scope: .team, subject: "*", period: .daily, limit: Money(usd: 0.01)),
                BudgetPolicy(scope: .user, subject: "*", period: .daily, limit: Money(usd: 1)),
                BudgetPolicy(scope: .org, subject: "*", period: .monthly, limit: Money(usd: 100)),
            ]
            $0.metrics.teams = ["ads"]
        }
        for _ in 0..<2 {
            let s = try await router.post(SpendFixtures.chat(), headers: SpendFixtures.team("search") + [("X-FinOps-User", "alice")]).status
            XCTAssertEqual(s, 200)
        }
        let s = try await router.post(SpendFixtures.chat(), headers: SpendFixtures.team("stranger")).status; XCTAssertEqual(s, 200)
        await router.app.refreshBudgetMetrics()
        let lines = Self.series(try await router.metricsText()).lines
        // Two calls at $0.0000243 each against $0.001 (monthly) and $0.01 (daily, the `*` budget).
        XCTAssertEqual(Self.value(lines, #"finops_router_budget_limit_usd{scope="team",subject="search",period="monthly"}"#), 0.001)
        let used = try XCTUnwrap(Self.value(lines, #"finops_router_budget_utilization_ratio{scope="team",subject="search",period="monthly"}"#))
        XCTAssertEqual(used, 0.0486, accuracy: 1e-9)
        // The `*` team budget is shown for configured teams (search, ads, default), not for strangers.
        XCTAssertEqual(Self.value(lines, #"finops_router_budget_utilization_ratio{scope="team",subject="search",period="daily"}"#)!, 0.00486, accuracy: 1e-9)
        XCTAssertEqual(Self.value(lines, #"finops_router_budget_utilization_ratio{scope="team",subject="ads",period="daily"}"#), 0)
        XCTAssertNotNil(Self.value(lines, #"finops_router_budget_limit_usd{scope="team",subject="default",period="daily"}"#))
        XCTAssertEqual(Self.value(lines, #"finops_router_budget_limit_usd{scope="org",subject="default",period="monthly"}"#), 100)
        XCTAssertFalse(lines.contains { $0.contains("stranger") || $0.contains("alice") || $0.contains(#"scope="user""#) }, "\(lines)")
        await router.stop()
        await mock.stop()
    }
}
