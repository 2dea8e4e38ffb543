import FinOpsCore
import Foundation
import XCTest

final class SpendRollupTests: XCTestCase {
    func testBucketsFloorToUTCHoursAndDays() {
        let hour = SpendRollup.Granularity.hour, day = SpendRollup.Granularity.day
        XCTAssertEqual(hour.bucketStart(Date(timeIntervalSince1970: 7_199.999)), Date(timeIntervalSince1970: 3_600))
        XCTAssertEqual(day.bucketStart(Date(timeIntervalSince1970: 86_400 * 3 + 5)), Date(timeIntervalSince1970: 86_400 * 3))
        XCTAssertEqual(hour.bucketStart(Date(timeIntervalSince1970: -0.5)), Date(timeIntervalSince1970: -3_600))
        XCTAssertEqual(hour.bucketStart(epochMillis: 3_600_000), 3_600_000)
    }

    func testTotalsCountStatusesAndAddExactly() {
        func record(_ status: RequestStatus, cost: Int64) -> TelemetryRecord {
            TelemetryRecord(time: Date(timeIntervalSince1970: 0), requestID: UUIDString(), requestedModel: "m",
                            inputTokens: 10, cachedInputTokens: 4, outputTokens: 3, cost: Money(nanos: cost),
                            baselineCost: Money(nanos: cost * 3), latencyMs: .nan, status: status)
        }
        let records = [record(.ok, cost: 1), record(.error, cost: 0), record(.failover, cost: 7), record(.cacheHit, cost: 0)]
        let totals = records.map(SpendTotals.init(record:)).reduce(SpendTotals(), +)
        XCTAssertEqual(totals, SpendTotals(requests: 4, errors: 1, failovers: 1, cacheHits: 1, inputTokens: 40,
                                           cachedInputTokens: 16, outputTokens: 12, cost: Money(nanos: 8),
                                           baselineCost: Money(nanos: 24), latencyMsSum: 0,
                                           latency: LatencyHistogram(counts: [4])), "NaN latencies count as 0 ms")
        XCTAssertEqual(totals.savings, Money(nanos: 16))
        XCTAssertEqual(SpendRollup.aggregate(records, .day).values.first, totals)
        XCTAssertTrue(OutcomeRollup.aggregate(records).isEmpty, "no outcome, no outcome rollup")
    }

    private func UUIDString() -> String { UUID().uuidString }
}
