import FinOpsCore
import Foundation
import XCTest

final class SpendReportTests: XCTestCase {
    private let end = Date(timeIntervalSince1970: 1_795_442_400)

    private func report(_ records: [TelemetryRecord], team: String? = nil) -> SpendReport {
        let spend = SpendRollup.aggregate(records, .hour).map { SpendRollup(key: $0.key, totals: $0.value) }
        let outcomes = OutcomeRollup.aggregate(records).map { OutcomeRollup(key: $0.key, totals: $0.value) }
        return SpendReport(period: ReportPeriod("30d", end: end)!, team: team, spend: spend, outcomes: outcomes)
    }

    func testSectionsAddUpToTheTotal() {
        let records = SeedTrafficGenerator(rows: 3_000, days: 30, end: end, seed: 7, catalog: DefaultPricing.catalog()).generate()
        let r = report(records)
        let rawCost = records.reduce(Money.zero) { $0 + $1.cost }
        XCTAssertEqual(r.total.cost, rawCost)
        XCTAssertEqual(r.total.requests, 3_000)
        XCTAssertEqual(r.byTeam.reduce(Money.zero) { $0 + $1.totals.cost }, rawCost)
        XCTAssertEqual(r.byDay.reduce(Money.zero) { $0 + $1.totals.cost }, rawCost)
        XCTAssertEqual(r.byTeam.map(\.totals.cost), r.byTeam.map(\.totals.cost).sorted(by: >))
        XCTAssertEqual(r.failovers.reduce(0) { $0 + $1.totals.failovers }, records.filter { $0.status == .failover }.count)
        XCTAssertLessThanOrEqual(r.topModels.count, 10)
    }

    func testCostPerOutcomeDividesUseCaseSpendByOutcomes() {
        let t = Date(timeIntervalSince1970: 1_795_400_000)
        func call(_ id: Int, cost: Int64, outcome: String?) -> TelemetryRecord {
            TelemetryRecord(time: t, requestID: "\(id)", team: "support", useCase: "triage", requestedModel: "m",
                            cost: Money(nanos: cost), outcome: outcome)
        }
        let r = report([call(1, cost: 100, outcome: nil), call(2, cost: 200, outcome: "resolved"),
                        call(3, cost: 701, outcome: "resolved"), call(4, cost: 10, outcome: "escalated")])
        XCTAssertEqual(r.outcomes.map(\.outcome), ["escalated", "resolved"])
        let resolved = r.outcomes[1]
        XCTAssertEqual(resolved.outcomes, 2)
        XCTAssertEqual(resolved.useCaseSpend, Money(nanos: 1_011))
        XCTAssertEqual(resolved.taggedSpend, Money(nanos: 901))
        XCTAssertEqual(resolved.costPerOutcome, Money(nanos: 506), "1011 / 2 rounded half up")
    }

    func testCSVAndJSONCarryExactMoney() throws {
        let records = SeedTrafficGenerator(rows: 500, days: 30, end: end, seed: 9, catalog: DefaultPricing.catalog()).generate()
        let r = report(records)
        let rows = try CSVTestReader.rows(SpendReportRenderer.render(r, as: .csv))
        XCTAssertTrue(rows.allSatisfy { $0.count == rows[0].count })
        let spendColumn = rows[0].firstIndex(of: "spend_usd")!
        let teamSum = rows.filter { $0[0] == "team" }.compactMap { Money(decimalString: $0[spendColumn]) }.reduce(Money.zero, +)
        XCTAssertEqual(teamSum, r.total.cost)
        XCTAssertEqual(rows.first { $0[0] == "total" }.flatMap { Money(decimalString: $0[spendColumn]) }, r.total.cost)

        let json = try JSONParser.parse(SpendReportRenderer.render(r, as: .json))
        guard case .number(let spend)? = json["total"]?["spend_usd"] else { return XCTFail("no total.spend_usd") }
        XCTAssertEqual(Money(decimalString: spend), r.total.cost)
        XCTAssertEqual(json["period"]?["label"]?.stringValue, "30d")

        let table = SpendReportRenderer.render(r, as: .table)
        for heading in ["By team", "Top models by spend", "Cost per outcome", "Failovers", "Daily spend (UTC)"] {
            XCTAssertTrue(table.contains(heading), heading)
        }
        XCTAssertTrue(table.contains("$" + r.total.cost.decimalString))
    }
}
