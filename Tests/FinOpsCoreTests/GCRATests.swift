import FinOpsCore
import XCTest

final class GCRATests: XCTestCase {
    func testBurstOfTheWholeQuotaThenOnePerEmissionInterval() {
        let g = GCRA(limit: 60)   // one per second, burst 60
        var tat: Double?
        for i in 0..<60 {
            let d = g.check(tat: tat, now: 0, cost: 1)
            XCTAssertTrue(d.allowed, "request \(i)")
            XCTAssertEqual(d.remaining, 59 - i)
            tat = d.newTAT
        }
        let refused = g.check(tat: tat, now: 0, cost: 1)
        XCTAssertFalse(refused.allowed)
        XCTAssertEqual(refused.retryAfterMs, 1000, accuracy: 0.001)
        XCTAssertEqual(refused.newTAT, tat, "a refusal does not consume capacity")
        XCTAssertFalse(g.check(tat: tat, now: 999, cost: 1).allowed)
        XCTAssertTrue(g.check(tat: tat, now: 1000, cost: 1).allowed)
        XCTAssertEqual(g.check(tat: tat, now: 60_000, cost: 1).remaining, 59, "a full period later the bucket is full again")
    }

    func testTokenCostsAndOversizedRequests() {
        let g = GCRA(limit: 1000)   // 1,000 tokens per minute
        let first = g.check(tat: nil, now: 0, cost: 700)
        XCTAssertTrue(first.allowed)
        XCTAssertEqual(first.remaining, 300)
        let second = g.check(tat: first.newTAT, now: 0, cost: 400)
        XCTAssertFalse(second.allowed)
        XCTAssertEqual(second.retryAfterMs, 6000, accuracy: 0.01)   // 100 tokens at 60 ms each
        XCTAssertFalse(g.check(tat: nil, now: 0, cost: 1001).allowed, "more than a minute's quota never fits")
    }
}
