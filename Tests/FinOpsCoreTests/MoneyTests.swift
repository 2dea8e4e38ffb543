import Foundation
import XCTest
@testable import FinOpsCore

final class MoneyTests: XCTestCase {
    func testUSDInitRoundsToNearestNano() {
        XCTAssertEqual(Money(usd: 0.15).nanos, 150_000_000)
        XCTAssertEqual(Money(usd: 0.075).nanos, 75_000_000)
        XCTAssertEqual(Money(usd: 1e-9).nanos, 1)
        XCTAssertEqual(Money(usd: 0.4e-9).nanos, 0)
        XCTAssertEqual(Money(usd: 0.6e-9).nanos, 1)
        XCTAssertEqual(Money(usd: -2.5).nanos, -2_500_000_000)
    }

    func testDecimalStringKeepsAtLeastSixDecimals() {
        XCTAssertEqual(Money(nanos: 18_000).decimalString, "0.000018")
        XCTAssertEqual(Money(nanos: 1_234_567_891).decimalString, "1.234567891")
        XCTAssertEqual(Money(nanos: 1_800_000_000).decimalString, "1.800000")
        XCTAssertEqual(Money(nanos: 9_000).decimalString, "0.000009")
        XCTAssertEqual(Money(nanos: 1).decimalString, "0.000000001")
        XCTAssertEqual(Money(nanos: 0).decimalString, "0.000000")
        XCTAssertEqual(Money(nanos: -1_500_000_000).decimalString, "-1.500000")
        XCTAssertEqual(Money(nanos: 18_000).description, "$0.000018")
    }

    func testDecimalStringOfExtremes() {
        XCTAssertEqual(Money(nanos: Int64.max).decimalString, "9223372036.854775807")
        XCTAssertEqual(Money(nanos: Int64.min).decimalString, "-9223372036.854775808")
    }

    /// The reason Money exists: a million 12-token calls at $0.15/MTok is exactly $1.80.
    func testMillionSmallCostsSumExactly() {
        let perCall = Money(nanos: 12 * 150_000_000 / 1_000_000)
        XCTAssertEqual(perCall.nanos, 1_800)
        var total = Money.zero
        for _ in 0..<1_000_000 { total += perCall }
        XCTAssertEqual(total.nanos, 1_800_000_000)
        XCTAssertEqual(total.decimalString, "1.800000")

        // The same sum in Double drifts, which is why nothing sums `.usd`.
        var drifting = 0.0
        for _ in 0..<1_000_000 { drifting += perCall.usd }
        XCTAssertNotEqual(drifting, 1.8)
    }

    func testArithmeticAndOrdering() {
        let a = Money(nanos: 700), b = Money(nanos: 300)
        XCTAssertEqual((a + b).nanos, 1_000)
        XCTAssertEqual((a - b).nanos, 400)
        XCTAssertEqual((b - a).nanos, -400)
        XCTAssertLessThan(b, a)
        XCTAssertGreaterThan(a, .zero)
        XCTAssertEqual([a, .zero, b].sorted(), [.zero, b, a])
        XCTAssertEqual(Money(nanos: 1_500_000_000).usd, 1.5)
    }

    func testCodableRoundTrip() throws {
        let money = Money(nanos: 75_000_000)
        let data = try JSONEncoder().encode(money)
        XCTAssertEqual(String(decoding: data, as: UTF8.self), #"{"nanos":75000000}"#)
        XCTAssertEqual(try JSONDecoder().decode(Money.self, from: data), money)
    }

    func testExactDecimalConversions() throws {
        XCTAssertEqual(ExactDecimal.nanos(usd: try XCTUnwrap(Decimal(string: "0.075"))), 75_000_000)
        XCTAssertEqual(ExactDecimal.nanos(usd: try XCTUnwrap(Decimal(string: "0.0000000005"))), 1)
        XCTAssertEqual(ExactDecimal.nanos(usd: try XCTUnwrap(Decimal(string: "0.0000000004"))), 0)
        XCTAssertNil(ExactDecimal.nanos(usd: try XCTUnwrap(Decimal(string: "1e20"))))
        XCTAssertEqual("\(ExactDecimal.usd(nanos: 75_000_000))", "0.075")
        XCTAssertEqual("\(ExactDecimal.usd(nanos: 15_000_000_000))", "15")
        XCTAssertEqual(ExactDecimal.integer(Decimal(128_000)), 128_000)
        XCTAssertNil(ExactDecimal.integer(try XCTUnwrap(Decimal(string: "1.5"))))
    }
}
