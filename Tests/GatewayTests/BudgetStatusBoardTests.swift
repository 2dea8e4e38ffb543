import FinOpsCore
import Foundation
import XCTest

/// The budget statuses the dashboard and the scheduler read: policies from config, admin and
/// keys, `*` expanded per subject that spent, spend as the enforcer counted it.
final class BudgetStatusBoardTests: XCTestCase {
    func testStatusesCoverConfigStarAndKeyBudgetsWithEnforcedSpend() async throws {
        let mock = try MockUpstream(.json(Fixtures.chatCompletion))
        let router = try RouterHarness(upstream: mock.baseURL, environment: ["FINOPS_ADMIN_TOKEN": SpendFixtures.adminToken]) {
            $0.spend.budgets = [
                BudgetPolicy(scope: .team, subject: "*", period: .monthly, limit: Money(usd: 1)),
                BudgetPolicy(scope: .team, subject: "search", period: .monthly, limit: Money(usd: 0.5), thresholds: [50]),
                BudgetPolicy(scope: .org, subject: "default", period: .daily, limit: Money(usd: 2)),
            ]
        }
        let created = try await router.post(#"{"name":"bot","team":"ads","budget_usd":3}"#, path: "/admin/keys",
                                            headers: SpendFixtures.admin())
        XCTAssertEqual(created.status, 201, created.text)
        let keyID = try XCTUnwrap(created.json?["id"]?.stringValue)
        for team in ["search", "search", "ads"] {
            let r = try await router.post(SpendFixtures.chat(), headers: SpendFixtures.team(team))
            XCTAssertEqual(r.status, 200, r.text)
        }
        var statuses: [BudgetStatus] = []
        try await eventually("the ads team's rollup") {
            statuses = try await router.app.budgetStatus.budgetStatuses(at: Date())
            return statuses.contains { $0.id == "team:ads:monthly" }
        }
        let byID = Dictionary(statuses.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(Set(byID.keys), ["team:search:monthly", "team:ads:monthly", "org:default:daily", "key:\(keyID):monthly"])
        let call = Money(nanos: 24_300)  // Fixtures.chatCompletion on gpt-4o-mini
        XCTAssertEqual(byID["team:search:monthly"]?.spent, call + call)
        XCTAssertEqual(byID["team:search:monthly"]?.policy.limit, Money(usd: 0.5), "the exact policy wins over *")
        XCTAssertEqual(byID["team:ads:monthly"]?.spent, call)
        XCTAssertEqual(byID["team:ads:monthly"]?.policy.subject, "*")
        XCTAssertEqual(byID["org:default:daily"]?.spent, call + call + call)
        XCTAssertEqual(byID["key:\(keyID):monthly"]?.spent, .zero)
        XCTAssertEqual(byID["key:\(keyID):monthly"]?.policy.limit, Money(usd: 3))
        let forecast = try XCTUnwrap(byID["team:search:monthly"]?.forecast)
        XCTAssertEqual(forecast.spentSoFar, call + call)
        XCTAssertGreaterThanOrEqual(forecast.linear.nanos, forecast.spentSoFar.nanos)
        await router.stop()
        await mock.stop()
    }
}
