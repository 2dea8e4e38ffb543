@testable import FinOpsCore
import Foundation
import XCTest

final class FocusExportTests: XCTestCase {
    private let end = Date(timeIntervalSince1970: 1_795_442_400)

    func testCSVParsesAndBilledCostSumsToTheRollupTotal() throws {
        let records = SeedTrafficGenerator(rows: 4_000, days: 45, end: end, seed: 5, catalog: DefaultPricing.catalog()).generate()
        let rollups = SpendRollup.aggregate(records, .day).map { SpendRollup(key: $0.key, totals: $0.value) }
        let rows = try CSVTestReader.rows(FocusExport.csv(rollups, granularity: .day))
        XCTAssertEqual(rows.first, FocusExport.columns)
        XCTAssertEqual(rows.count - 1, rollups.count)
        XCTAssertTrue(rows.allSatisfy { $0.count == FocusExport.columns.count })
        let column = { (name: String) in FocusExport.columns.firstIndex(of: name)! }
        let billed = rows.dropFirst().map { Money(decimalString: $0[column("BilledCost")])! }.reduce(Money.zero, +)
        XCTAssertEqual(billed, records.reduce(Money.zero) { $0 + $1.cost })
        let requests = rows.dropFirst().map { Int($0[column("x_Requests")])! }.reduce(0, +)
        XCTAssertEqual(requests, 4_000)
        for row in rows.dropFirst() {
            XCTAssertEqual(row[column("EffectiveCost")], row[column("BilledCost")])
            XCTAssertEqual(row[column("ResourceId")], row[column("ResourceName")])
            let tags = try JSONParser.parse(row[column("Tags")])
            XCTAssertEqual(tags["team"]?.stringValue, row[column("SubAccountId")])
            XCTAssertNotNil(tags["use_case"]?.stringValue)
            XCTAssertTrue(row[column("ChargePeriodStart")].hasSuffix("T00:00:00Z"))
        }
    }

    func testBillingPeriodIsTheCalendarMonthAndTextIsEscaped() throws {
        let key = SpendRollup.Key(bucket: CivilDate.parse("2026-12-31T23:00:00Z")!, org: "acme", team: "=HYPERLINK(\"x\")",
                                  user: "a,b", provider: "openai", model: "gpt-4o", useCase: "line\nbreak", strategy: "fixed")
        let csv = FocusExport.csv([SpendRollup(key: key, totals: SpendTotals(requests: 1, cost: Money(nanos: 1)))], granularity: .hour)
        let row = try CSVTestReader.rows(csv)[1]
        let column = { (name: String) in FocusExport.columns.firstIndex(of: name)! }
        XCTAssertEqual(row[column("BillingPeriodStart")], "2026-12-01T00:00:00Z")
        XCTAssertEqual(row[column("BillingPeriodEnd")], "2027-01-01T00:00:00Z")
        XCTAssertEqual(row[column("ChargePeriodEnd")], "2027-01-01T00:00:00Z")
        XCTAssertEqual(row[column("BilledCost")], "0.000000001")
        XCTAssertEqual(row[column("SubAccountId")], "'=HYPERLINK(\"x\")", "no formula injection")
        XCTAssertEqual(row[column("x_User")], "a,b")
        XCTAssertEqual(row[column("x_UseCase")], "line\nbreak")
        XCTAssertEqual(row[column("ServiceName")], "OpenAI API")
    }
}
