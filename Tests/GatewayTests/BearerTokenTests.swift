@testable import Gateway
import XCTest

/// The Authorization header's token, as the request gate reads it on every call.
final class BearerTokenTests: XCTestCase {
    func testSchemeIsCaseInsensitiveAndBlanksAroundTheTokenAreIgnored() {
        XCTAssertEqual(RequestGate.bearerToken("Bearer fr-abc"), "fr-abc")
        XCTAssertEqual(RequestGate.bearerToken("bearer fr-abc"), "fr-abc")
        XCTAssertEqual(RequestGate.bearerToken("BEARER fr-abc"), "fr-abc")
        XCTAssertEqual(RequestGate.bearerToken("Bearer   fr-abc \t"), "fr-abc")
        XCTAssertEqual(RequestGate.bearerToken("Bearer fr-ä€"), "fr-ä€")
    }

    func testOtherSchemesAndEmptyTokensAreNotBearerTokens() {
        XCTAssertNil(RequestGate.bearerToken("Basic dXNlcjpwYXNz"))
        XCTAssertNil(RequestGate.bearerToken("Bearer"))
        XCTAssertNil(RequestGate.bearerToken("Bearer "))
        XCTAssertNil(RequestGate.bearerToken("Bearerx fr-abc"))
        XCTAssertNil(RequestGate.bearerToken(""))
        XCTAssertEqual(RequestGate.bearerToken("Bearer  "), "", "blank token: empty, so not a virtual key")
    }
}
