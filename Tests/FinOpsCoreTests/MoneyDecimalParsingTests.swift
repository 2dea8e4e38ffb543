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
