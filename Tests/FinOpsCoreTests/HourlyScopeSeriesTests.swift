import FinOpsCore
import XCTest

final class HourlyScopeSeriesTests: XCTestCase {
    private let start = Date(timeIntervalSince1970: 1_794_999_600)  // an hour boundary

    private func rollup(hour: Int, team: String, useCase: String, requests: Int, usd: Double, ms: Double = 100) -> SpendRollup {
        var totals = SpendTotals(requests: requests, cost: Money(usd: usd))
        for _ in 0..<requests { totals.latency.record(ms: ms) }
        return SpendRollup(key: .init(bucket: start.addingTimeInterval(Double(hour) * 3_600), org: "acme", team: team, user: "u",
                                      provider: "p", model: "m", useCase: useCase, strategy: "s"), totals: totals)
    }

    func testSeriesPerTeamAndPerUseCaseOfTeamsWithSeveral() {
        let series = HourlyScopeSeries.build(rollups: [
            rollup(hour: 0, team: "search", useCase: "qa", requests: 4, usd: 0.4),
            rollup(hour: 0, team: "search", useCase: "rewrite", requests: 6, usd: 0.06),
            rollup(hour: 2, team: "search", useCase: "qa", requests: 2, usd: 0.2, ms: 2_000),
            rollup(hour: 1, team: "legal", useCase: "review", requests: 1, usd: 3),
            rollup(hour: 5, team: "legal", useCase: "review", requests: 1, usd: 3),   // outside the 3 hours
            rollup(hour: 1, team: "ops", useCase: "", requests: 1, usd: 1),
        ], start: start, hours: 3)
        XCTAssertEqual(series.map(\.scope.description), ["search", "search / qa", "search / rewrite", "legal", "ops"], "busiest first, ties by name")
        let search = series[0]
        XCTAssertEqual(search.requests, [10, 0, 2])
        XCTAssertEqual(search.values(.spend).map { $0 ?? -1 }, [0.46, 0, 0.2].map { $0 })
        XCTAssertEqual(search.values(.costPerRequest, minRequests: 3).map { $0 == nil }, [false, true, true])
        XCTAssertEqual(search.values(.costPerRequest)[2] ?? 0, 0.1, accuracy: 1e-12)
        XCTAssertEqual(search.values(.latencyP95)[0] ?? 0, 97.5, accuracy: 1e-9)
        XCTAssertEqual(search.hour(2), start.addingTimeInterval(7_200))
        XCTAssertEqual(series[3].requests, [0, 1, 0])
    }
}
