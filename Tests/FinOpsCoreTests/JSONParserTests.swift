import FinOpsCore
import XCTest

final class JSONParserTests: XCTestCase {
    func testParsesAndReserializesKeepingOrderAndNumberText() throws {
        let text = #"{"model":"gpt-4o-mini","temperature":0.70,"n":1,"stop":null,"stream":false,"messages":[{"role":"user","content":"héllo \"you\"\n"}]}"#
        let value = try JSONParser.parse(text)
        XCTAssertEqual(value["model"]?.stringValue, "gpt-4o-mini")
        XCTAssertEqual(value["temperature"], .number("0.70"))
        XCTAssertEqual(value["n"]?.intValue, 1)
        XCTAssertTrue(value["stop"]?.isNull ?? false)
        XCTAssertEqual(value["messages"]?.arrayValue?.first?["content"]?.stringValue, "héllo \"you\"\n")
        XCTAssertEqual(value.serializedString, text)
    }

    func testUnicodeEscapesAndSurrogatePairs() throws {
        let value = try JSONParser.parse(#"["\u00e9","\ud83d\ude00","a\/b\t"]"#)
        XCTAssertEqual(value.arrayValue?.compactMap(\.stringValue), ["é", "😀", "a/b\t"])
    }

    func testRejectsMalformedInputWithOffset() {
        let cases: [(String, Int)] = [
            (#"{"a":1"#, 6), (#"{"a" 1}"#, 5), ("[1,]", 3), ("01", 1), ("tru", 0), (#""abc"#, 4),
            ("{} x", 3), (#"{"a":"\q"}"#, 7), ("-", 1), ("1.", 2), (#""\ud800x""#, 6),
        ]
        for (text, offset) in cases {
            XCTAssertThrowsError(try JSONParser.parse(text), text) { error in
                XCTAssertEqual((error as? JSONParseError)?.offset, offset, "\(text): \(error)")
            }
        }
    }

    func testRejectsControlCharactersAndDeepNesting() {
        XCTAssertThrowsError(try JSONParser.parse("\"a\u{01}b\""))
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        XCTAssertThrowsError(try JSONParser.parse(deep)) { error in
            XCTAssertEqual((error as? JSONParseError)?.reason, "nesting too deep")
        }
        let ok = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        XCTAssertNoThrow(try JSONParser.parse(ok))
    }

    func testSetAndRemoveKeepOtherKeys() throws {
        var value = try JSONParser.parse(#"{"a":1,"b":2}"#)
        value.set("b", .string("x"))
        value.set("c", .bool(true))
        value.remove("a")
        XCTAssertEqual(value.serializedString, #"{"b":"x","c":true}"#)
    }

    func testEscapesControlCharactersOnOutput() {
        XCTAssertEqual(JSONValue.string("a\u{01}\"\\").serializedString, #""a\u0001\"\\""#)
    }
}
