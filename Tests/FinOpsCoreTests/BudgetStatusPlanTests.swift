import FinOpsCore
import Foundation
import XCTest

final class BudgetStatusPlanTests: XCTestCase {
    private func rollup(_ day: String, team: String, user: String = "u", usd: Double) -> SpendRollup {
        SpendRollup(key: .init(bucket: CivilDate.parse(day)!, org: "acme", team: team, user: user, provider: "p",
                               model: "m", useCase: "", strategy: "fixed"),
                    totals: SpendTotals(requests: 1, cost: Money(usd: usd)))
    }

    func testStarExpandsToSubjectsThatSpentInTheCurrentWindowOnly() {
        let now = CivilDate.parse("2026-12-10T12:00:00Z")!
        let rollups = [rollup("2026-11-28", team: "old", usd: 5), rollup("2026-12-02", team: "search", usd: 1),
                       rollup("2026-12-09", team: "ads", user: "", usd: 2), rollup("2026-12-10", team: "search", usd: 3)]
        let policies = [BudgetPolicy(scope: .team, subject: "*", period: .monthly, limit: Money(usd: 10)),
                        BudgetPolicy(scope: .team, subject: "ads", period: .monthly, limit: Money(usd: 4)),
                        BudgetPolicy(scope: .user, subject: "*", period: .daily, limit: Money(usd: 1)),
                        BudgetPolicy(scope: .key, subject: "*", period: .monthly, limit: Money(usd: 1))]
        let pairs = BudgetStatusPlan.concrete(policies, rollups: rollups, now: now).map { "\($0.0.id)→\($0.1)" }
        XCTAssertEqual(pairs, ["team:ads:monthly→ads", "team:*:monthly→search", "user:*:daily→u"],
                       "old spent last month only; ads has its own budget; empty users and key:* are not expanded")
        XCTAssertEqual(BudgetStatusPlan.dailySpend(rollups, scope: .team, subject: "search"),
                       [CivilDate.parse("2026-12-02")!: Money(usd: 1), CivilDate.parse("2026-12-10")!: Money(usd: 3)])
        XCTAssertEqual(BudgetStatusPlan.dailySpend(rollups, scope: .org, subject: "acme").values.reduce(.zero, +), Money(usd: 11))
        XCTAssertTrue(BudgetStatusPlan.dailySpend(rollups, scope: .key, subject: "k").isEmpty)
    }
}
