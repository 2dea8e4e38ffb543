import FinOpsCore
import Foundation
import Storage
import XCTest

/// With the in-memory state store a restart must not reset the month's budgets: the router puts
/// the spend its telemetry already holds back into the counters.
final class BudgetRestoreTests: XCTestCase {
    func testARestartedRouterCountsThisMonthsSpendFromTelemetry() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("finops-restore-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("finops.sqlite").path
        let now = Date()
        let monthStart = BudgetPeriod.monthly.window(at: now).start
        func row(_ id: String, _ team: String, _ usd: Double, at time: Date) -> TelemetryRecord {
            TelemetryRecord(time: time, requestID: id, org: "default", team: team, user: "ana@example.com", useCase: "chat",
                            strategy: "fixed", requestedModel: "gpt-4o", provider: "openai", model: "gpt-4o",
                            inputTokens: 1_000, outputTokens: 500, cost: Money(usd: usd), baselineCost: Money(usd: usd), latencyMs: 200)
        }
        do {
            let store = try SQLiteTelemetryStore(path: path)
            try store.insert([
                row("this-month-1", "search", 0.50, at: now.addingTimeInterval(-0.5)),
                row("this-month-2", "search", 0.40, at: now.addingTimeInterval(-0.4)),
                row("other-team", "ads", 5.00, at: now.addingTimeInterval(-0.3)),
                row("last-month", "search", 7.00, at: monthStart.addingTimeInterval(-3_600)),
            ])
        }
        let upstream = try MockUpstream(.json(Fixtures.chatCompletion))
        let router = try RouterHarness(upstream: upstream.baseURL) {
            $0.telemetry.sqlitePath = path
            $0.spend.budgets = [BudgetPolicy(scope: .team, subject: "search", period: .monthly, limit: Money(usd: 1.00),
                                             thresholds: [80], action: .block)]
        }
        func searchSpent() async throws -> Money? {
            try await router.app.budgetStatus.budgetStatuses(at: Date()).first { $0.subject == "search" }?.spent
        }
        let before = try await searchSpent()
        XCTAssertEqual(before, .zero, "a fresh process starts with empty counters")

        await router.app.restoreBudgetCounters()
        let after = try await searchSpent()
        XCTAssertEqual(after, Money(usd: 0.90), "this month's spend, not last month's, not another team's")

        // $0.10 left: a call estimated above it is refused, as it would have been before the restart.
        let big = try await router.post(SpendFixtures.chat(model: "gpt-4o", maxTokens: 60_000), headers: SpendFixtures.team("search"))
        XCTAssertEqual(big.status, 402, big.text)
        let small = try await router.post(SpendFixtures.chat(model: "gpt-4o-mini", maxTokens: 20), headers: SpendFixtures.team("search"))
        XCTAssertEqual(small.status, 200, small.text)
        await router.stop()
        await upstream.stop()
    }
}
