import FinOpsCore
import XCTest

/// Found by schemathesis (scripts/api-contract-tests): a dollar amount too large for nano-dollars
/// (`budget_usd: -1.4e241`, `limit_usd: 1e300`) crashed the router in `Money(usd:)`. The admin
/// API now answers 400 and the router keeps serving.
final class AdminAPIBadInputTests: XCTestCase {
    func testDollarAmountsOutsideTheMoneyRangeAre400AndTheRouterKeepsServing() async throws {
        let router = try RouterHarness(upstream: nil, environment: ["FINOPS_ADMIN_TOKEN": SpendFixtures.adminToken])
        for amount in ["-1.3814738794846044e+241", "1e300", "0", "-5", "1000000001"] {
            let key = try await router.request("POST", "/admin/keys", body: #"{"name":"k","team":"t","budget_usd":\#(amount)}"#,
                                               headers: SpendFixtures.admin())
            XCTAssertEqual(key.status, 400, "budget_usd \(amount): \(key.text)")
            XCTAssertEqual(key.json?["error"]?["code"]?.stringValue, "invalid_request")
            XCTAssertTrue(key.text.contains("budget_usd"), key.text)
            // POST and PUT share the handler (the test client sends bodies with POST).
            let budget = try await router.request("POST", "/admin/budgets",
                                                  body: #"{"scope":"team","subject":"t","limit_usd":\#(amount)}"#, headers: SpendFixtures.admin())
            XCTAssertEqual(budget.status, 400, "limit_usd \(amount): \(budget.text)")
            XCTAssertTrue(budget.text.contains("limit_usd"), budget.text)
        }
        let largest = try await router.request("POST", "/admin/budgets", body: #"{"scope":"team","subject":"t","limit_usd":1000000000}"#,
                                               headers: SpendFixtures.admin())
        XCTAssertEqual(largest.status, 200, largest.text)
        XCTAssertEqual(largest.json?["limit_usd"]?.doubleValue, 1e9)
        let health = try await router.request("GET", "/healthz")
        XCTAssertEqual(health.status, 200)
        await router.stop()
    }
}
