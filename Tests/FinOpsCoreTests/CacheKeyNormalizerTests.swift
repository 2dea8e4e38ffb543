import FinOpsCore
import XCTest

final class CacheKeyNormalizerTests: XCTestCase {
    func parse(_ s: String) -> JSONValue { try! JSONParser.parse(s) }

    func testIrrelevantDifferencesShareAKeyAndRelevantOnesDoNot() {
        let a = parse(#"{"model":"fast","messages":[{"role":"user","content":"Hello   world "}],"temperature":0,"stream":true,"user":"u1"}"#)
        let b = parse(#"{"temperature":0.0,"messages":[{"content":"Hello world","role":"user"}],"model":"gpt-4o-mini"}"#)
        XCTAssertEqual(CacheKeyNormalizer.exactKeyText(a, model: "gpt-4o-mini"), CacheKeyNormalizer.exactKeyText(b, model: "gpt-4o-mini"))
        let c = parse(#"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello world"}],"temperature":0.7}"#)
        XCTAssertNotEqual(CacheKeyNormalizer.exactKeyText(b, model: "gpt-4o-mini"), CacheKeyNormalizer.exactKeyText(c, model: "gpt-4o-mini"))
        XCTAssertNotEqual(CacheKeyNormalizer.exactKeyText(b, model: "gpt-4o-mini"), CacheKeyNormalizer.exactKeyText(b, model: "gpt-4o"))
        XCTAssertEqual(CacheKeyNormalizer.shapeText(b, model: "m"), CacheKeyNormalizer.shapeText(parse(#"{"model":"x","temperature":0,"messages":[]}"#), model: "m"))
        XCTAssertEqual(CacheKeyNormalizer.semanticText(a), "user: Hello world")
    }
}
