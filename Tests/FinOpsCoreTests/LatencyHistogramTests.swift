import FinOpsCore
import XCTest

final class LatencyHistogramTests: XCTestCase {
    func testBucketsAreUpperInclusiveWithAnOverflowSlot() {
        XCTAssertEqual(LatencyHistogram.bucket(ms: 0), 0)
        XCTAssertEqual(LatencyHistogram.bucket(ms: 25), 0)
        XCTAssertEqual(LatencyHistogram.bucket(ms: 25.0001), 1)
        XCTAssertEqual(LatencyHistogram.bucket(ms: 60_000), LatencyHistogram.boundsMs.count - 1)
        XCTAssertEqual(LatencyHistogram.bucket(ms: 60_000.5), LatencyHistogram.boundsMs.count)
        XCTAssertEqual(LatencyHistogram.bucket(ms: .nan), 0, "non-finite counts as 0 ms, as the stores keep it")
        XCTAssertEqual(LatencyHistogram.bucket(ms: -3), 0)
        XCTAssertEqual(LatencyHistogram.columnNames.count, LatencyHistogram.boundsMs.count + 1)
        XCTAssertEqual(LatencyHistogram.columnNames.first, "latency_le_25")
        XCTAssertEqual(LatencyHistogram.columnNames.last, "latency_gt_60000")
    }

    func testQuantilesInterpolateInsideTheBucket() {
        var h = LatencyHistogram()
        XCTAssertNil(h.quantile(0.5))
        // 100 calls uniformly in (100, 250]: the median is interpolated to the bucket's middle.
        for i in 1...100 { h.record(ms: 100 + 1.5 * Double(i)) }
        XCTAssertEqual(h.quantile(0.5)!, 175, accuracy: 1e-9)
        XCTAssertEqual(h.quantile(1)!, 250, accuracy: 1e-9)
        // Slow tail: 5 of 105 above 60 s; p99 lands in the overflow bucket, reported as its lower bound.
        for _ in 0..<5 { h.record(ms: 90_000) }
        XCTAssertEqual(h.quantile(0.99), 60_000)
        XCTAssertEqual(h.quantile(0.5)!, 100 + 150 * (52.5 / 100), accuracy: 1e-9)
    }

    func testAddingIsOrderIndependentAndTotalsTheCounts() {
        var a = LatencyHistogram(), b = LatencyHistogram()
        for v in [10.0, 30, 700, 4_000] { a.record(ms: v) }
        for v in [20.0, 99_000] { b.record(ms: v) }
        var ab = a; ab.add(b)
        var ba = b; ba.add(a)
        XCTAssertEqual(ab, ba)
        XCTAssertEqual(ab.total, 6)
        XCTAssertEqual(ab.counts[0], 2)
        XCTAssertEqual(LatencyHistogram(counts: [1, 2]).counts.prefix(3), [1, 2, 0])
    }

    func testSpendTotalsCarryTheHistogram() {
        var r = TelemetryRecord(time: .init(timeIntervalSince1970: 0), requestID: "a", requestedModel: "m")
        r.latencyMs = 480
        let one = SpendTotals(record: r)
        XCTAssertEqual(one.latency.counts[LatencyHistogram.bucket(ms: 480)], 1)
        XCTAssertEqual((one + one).latency.total, 2)
        var other = one
        other.latency.record(ms: 1)
        XCTAssertFalse(one.matches(other), "histograms are compared exactly")
    }
}
