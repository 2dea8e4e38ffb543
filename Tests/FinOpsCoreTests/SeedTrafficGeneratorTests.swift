import FinOpsCore
import Foundation
import XCTest

final class SeedTrafficGeneratorTests: XCTestCase {
    private let end = Date(timeIntervalSince1970: 1_795_442_400)  // 2026-11-23T14:00:00Z, a Monday
    private func generate(rows: Int = 11_000, seed: UInt64 = 42) -> [TelemetryRecord] {
        SeedTrafficGenerator(rows: rows, days: 30, end: end, seed: seed, catalog: DefaultPricing.catalog()).generate()
    }

    func testDeterministicUniqueSortedAndInsideTheWindow() {
        let a = generate(), b = generate()
        XCTAssertEqual(a, b, "same seed, same rows")
        XCTAssertNotEqual(a.map(\.requestID), generate(seed: 43).map(\.requestID))
        XCTAssertEqual(a.count, 11_000)
        XCTAssertEqual(Set(a.map(\.requestID)).count, a.count)
        XCTAssertEqual(a.map(\.time), a.map(\.time).sorted())
        XCTAssertGreaterThanOrEqual(a.first!.time, end.addingTimeInterval(-30 * 86_400))
        XCTAssertLessThan(a.last!.time, end)
    }

    func testCostsComeFromTheCatalog() {
        let catalog = DefaultPricing.catalog()
        for r in generate(rows: 2_000) where r.status == .ok || r.status == .failover {
            let price = catalog.price(for: r.model)!
            XCTAssertEqual(r.cost, CostCalculator.cost(inputTokens: r.inputTokens, cachedInputTokens: r.cachedInputTokens,
                                                       outputTokens: r.outputTokens, at: price), r.requestID)
            XCTAssertEqual(r.provider, price.provider)
            XCTAssertFalse(r.model.contains("embedding"))
        }
    }

    func testSeasonalityAndMix() {
        let rows = generate()
        let hourOf = { (r: TelemetryRecord) in Int(r.time.timeIntervalSince1970 / 3_600) % 24 }
        let weekdayOf = { (r: TelemetryRecord) in (Int(r.time.timeIntervalSince1970 / 86_400) + 4) % 7 }
        let afternoon = rows.filter { hourOf($0) == 14 }.count, night = rows.filter { hourOf($0) == 3 }.count
        XCTAssertGreaterThan(afternoon, 4 * night, "business hours dominate")
        let weekdays = rows.filter { (1...5).contains(weekdayOf($0)) }.count, weekends = rows.count - weekdays
        XCTAssertGreaterThan(Double(weekdays) / 5, 2 * Double(weekends) / 2, "weekdays are busier per day")
        let errorRate = Double(rows.filter { $0.status == .error }.count) / Double(rows.count)
        XCTAssertEqual(errorRate, 0.02, accuracy: 0.01)
        XCTAssertEqual(Set(rows.map(\.team)).count, 7)
        XCTAssertGreaterThan(rows.filter { $0.outcome == "ticket_resolved" }.count, 100)
        let total = rows.reduce(Money.zero) { $0 + $1.cost }, baseline = rows.reduce(Money.zero) { $0 + $1.baselineCost }
        XCTAssertLessThan(total, baseline, "the router saves money overall")
    }

    func testSpikeIsPlantedInItsWindow() {
        let generator = SeedTrafficGenerator(rows: 11_000, days: 30, end: end, seed: 42, catalog: DefaultPricing.catalog())
        let window = generator.spikeWindow
        XCTAssertEqual(CivilDate.iso8601(window.lowerBound), "2026-11-19T10:00:00Z")
        let rows = generator.generate()
        let inWindow = rows.filter { window.contains($0.time) && $0.team == "support" && $0.model == "claude-opus-4-20250514" }
        XCTAssertGreaterThanOrEqual(inWindow.count, 440)
        let spikeHourSpend = rows.filter { window.contains($0.time) }.reduce(Money.zero) { $0 + $1.cost }
        let sameHoursDayBefore = rows.filter { window.contains($0.time.addingTimeInterval(86_400)) }.reduce(Money.zero) { $0 + $1.cost }
        XCTAssertGreaterThan(spikeHourSpend.nanos, 5 * sameHoursDayBefore.nanos)
    }

    func testPlantedSpikeCanBeMovedToTheLastHour() {
        var generator = SeedTrafficGenerator(rows: 11_000, days: 30, end: end, seed: 42, catalog: DefaultPricing.catalog())
        let lastHour = end.addingTimeInterval(-3_600)...end.addingTimeInterval(-0.001)
        generator.plantedSpike = lastHour
        XCTAssertEqual(generator.spikeWindow, lastHour)
        let rows = generator.generate()
        let spike = rows.filter { lastHour.contains($0.time) && $0.team == "support" && $0.model == "claude-opus-4-20250514" }
        XCTAssertGreaterThanOrEqual(spike.count, 440, "the spike's rows all land in the chosen hour")
        XCTAssertTrue(rows.allSatisfy { $0.time < end }, "nothing after the end")
        let usual = SeedTrafficGenerator(rows: 11_000, days: 30, end: end, seed: 42, catalog: DefaultPricing.catalog()).generate()
        XCTAssertLessThan(usual.filter { lastHour.contains($0.time) }.count, 100, "without the override that hour is ordinary")
    }
}
