import XCTest
@testable import FinOpsCore

final class ModelStatsTests: XCTestCase {
    func testFirstObservationSeedsThenEWMABlends() {
        var s = ModelStats()
        s.record(latencyMs: 1_000, failed: false)
        XCTAssertEqual(s.ewmaLatencyMs, 1_000)
        XCTAssertEqual(s.errorRate, 0)
        s.record(latencyMs: 500, failed: false)
        XCTAssertEqual(s.ewmaLatencyMs!, 900, accuracy: 1e-9)
        XCTAssertEqual(s.samples, 2)
    }

    func testFailuresMoveTheErrorRateNotTheLatency() {
        var s = ModelStats().recording(latencyMs: 400, failed: false)
        for _ in 0..<5 { s.record(latencyMs: 1, failed: true) }
        XCTAssertEqual(s.ewmaLatencyMs, 400)
        XCTAssertEqual(s.errorRate, 1 - pow(0.8, 5), accuracy: 1e-12)
        XCTAssertFalse(s.isHealthy)
        XCTAssertTrue(ModelStats().recording(latencyMs: 1, failed: true).errorRate == 1)
    }
}
