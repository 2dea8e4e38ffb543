@testable import FinOpsCore
import XCTest

final class MoneyDecimalParsingTests: XCTestCase {
    func testParsesExactDecimals() {
        XCTAssertEqual(Money(decimalString: "0.0001131")?.nanos, 113_100)
        XCTAssertEqual(Money(decimalString: "12")?.nanos, 12_000_000_000)
        XCTAssertEqual(Money(decimalString: "-1.5")?.nanos, -1_500_000_000)
        XCTAssertEqual(Money(decimalString: ".000000001")?.nanos, 1)
        XCTAssertEqual(Money(decimalString: " 3.000000000 ")?.nanos, 3_000_000_000)
        XCTAssertEqual(Money(decimalString: "9223372036.854775807")?.nanos, Int64.max)
    }

    func testRejectsWhatIsNotAnExactAmount() {
        for bad in ["", "-", ".", "1.2.3", "1e-3", "0.0000000001", "abc", "1,5", "9223372037", "--1", "0x10"] {
            XCTAssertNil(Money(decimalString: bad), bad)
        }
    }

    func testRoundTripsThroughBothFormats() {
        var rng = SplitMix64(seed: 1)
        for _ in 0..<1_000 {
            let money = Money(nanos: Int64(bitPattern: rng.next()) / 4)
            XCTAssertEqual(Money(decimalString: money.decimalString), money)
            XCTAssertEqual(Money(decimalString: money.fullDecimalString), money)
        }
        XCTAssertEqual(Money(nanos: 113_100).fullDecimalString, "0.000113100")
        XCTAssertEqual(Money(nanos: -5).fullDecimalString, "-0.000000005")
    }
}

final class MoneyDecimalStringTests: XCTestCase {
    func testDecimalStringKeepsSixToNineDecimals() {
        let cases: [(Int64, String)] = [
            (0, "0.000000"), (1, "0.000000001"), (10, "0.00000001"), (1_000, "0.000001"), (18_000, "0.000018"),
            (113_100, "0.0001131"), (1_234_567_891, "1.234567891"), (12_000_000_000, "12.000000"),
            (-1_500_000_000, "-1.500000"), (-7, "-0.000000007"), (Int64.max, "9223372036.854775807"),
            (Int64.min, "-9223372036.854775808"),
        ]
        for (nanos, text) in cases {
            XCTAssertEqual(Money(nanos: nanos).decimalString, text, "\(nanos)")
        }
    }

    func testDecimalStringRoundTrips() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let nanos = Int64.random(in: -50_000_000_000_000...50_000_000_000_000, using: &rng)
            XCTAssertEqual(Money(decimalString: Money(nanos: nanos).decimalString)?.nanos, nanos)
        }
    }
}
