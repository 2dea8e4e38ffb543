import FinOpsCore
import XCTest

final class PIIDetectorTests: XCTestCase {
    func kinds(_ text: String) -> [PIIKind] { PIIDetector.scan(text).map(\.kind) }

    func testFindsEachKindAndRedactsWithoutKeepingValues() {
        let text = "Mail ana.lopez@example.com or call +1 415-555-0132; card 4111 1111 1111 1111, IBAN GB82 WEST 1234 5698 7654 32, SSN 123-45-6789, key sk-proj-abcdefghijklmnopqrstuvwx."
        XCTAssertEqual(kinds(text), [.email, .phone, .creditCard, .iban, .usSSN, .secret])
        let redacted = PIIDetector.redact(text, findings: PIIDetector.scan(text), kinds: Set(PIIKind.allCases))
        XCTAssertEqual(redacted, "Mail [REDACTED_EMAIL] or call [REDACTED_PHONE]; card [REDACTED_CREDIT_CARD], IBAN [REDACTED_IBAN], SSN [REDACTED_US_SSN], key [REDACTED_SECRET].")
    }

    func testValidatorsRejectLookalikes() {
        XCTAssertTrue(PIIValidators.luhn("4111111111111111"))
        XCTAssertFalse(PIIValidators.luhn("4111111111111112"), "bad check digit")
        XCTAssertFalse(PIIValidators.luhn("0000000000000000"), "placeholder")
        XCTAssertTrue(PIIValidators.iban("DE89 3704 0044 0532 0130 00"))
        XCTAssertFalse(PIIValidators.iban("DE89 3704 0044 0532 0130 01"))
        XCTAssertFalse(PIIValidators.usSSN("666-12-3456"))
        XCTAssertFalse(PIIValidators.usSSN("123-00-4567"))
        XCTAssertFalse(PIIValidators.usSSN("900-12-3456"))
        XCTAssertTrue(PIIValidators.usSSN("078-05-1120"))
        XCTAssertEqual(kinds("order 4111 1111 1111 1112 shipped"), [], "a digit run failing Luhn is no card")
        XCTAssertEqual(kinds("version 1.2.3 costs 12 dollars on 2026-11-23"), [])
    }

    func testSecretsOfCommonShapes() {
        XCTAssertEqual(kinds("AKIAIOSFODNN7EXAMPLE"), [.secret])
        XCTAssertEqual(kinds("token ghp_" + String(repeating: "a", count: 36)), [.secret])
        XCTAssertEqual(kinds("api_key = 'Zx81_Qk2mLp90wErT'"), [.secret])
        XCTAssertEqual(kinds("-----BEGIN RSA PRIVATE KEY-----"), [.secret])
    }

    func testScanLimitedToRequestedKinds() {
        XCTAssertEqual(PIIDetector.scan("a@b.io 123-45-6789", kinds: [.usSSN]).map(\.kind), [.usSSN])
        let policy = GuardrailPolicy(pii: [.email: .redact, .phone: .off])
        XCTAssertEqual(policy.scannedKinds, [.email])
        XCTAssertEqual(policy.action(for: .iban), .off)
    }
}
