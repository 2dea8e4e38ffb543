import XCTest
@testable import FinOpsCore

final class JSONLScorerTests: XCTestCase {
    func run(_ text: String) -> (String, JSONLScorer) {
        var scorer = JSONLScorer(classifier: ComplexityClassifier(), tiers: AutoTierThresholds())
        var out: [UInt8] = []
        // Split bytes, not Characters: "\r\n" is one Character and would hide the line break.
        for line in Array(text.utf8).split(separator: 0x0A, omittingEmptySubsequences: false) {
            scorer.score(line: line, into: &out)
        }
        return (String(decoding: out, as: UTF8.self), scorer)
    }

    func testScoresPromptAndMessagesLines() throws {
        let (out, scorer) = run("""
            {"id": 1, "prompt": "hi"}

            {"id": "b", "messages": [{"role": "user", "content": "hello"}]}\r
            {"prompt": "no id"}
            """)
        let lines = out.split(separator: "\n").map(String.init)
        guard lines.count == 3 else { return XCTFail(out) }
        XCTAssertTrue(lines[0].hasPrefix("{\"id\":1,\"complexity\":1,\"score\":"), lines[0])
        XCTAssertTrue(lines[0].hasSuffix("\"tier\":\"small\"}"), lines[0])
        XCTAssertTrue(lines[1].hasPrefix("{\"id\":\"b\","), lines[1])
        XCTAssertTrue(lines[2].hasPrefix("{\"line\":4,"), lines[2])
        for line in lines {
            let value = try JSONParser.parse(line)
            XCTAssertEqual(value["score"], value["p_strong"])
            XCTAssertNotNil(value["complexity"]?.intValue)
        }
        XCTAssertEqual(scorer.failures, 0)
    }

    func testBadLinesBecomeErrorLines() throws {
        let (out, scorer) = run("not json\n[1, 2]\n{\"id\": 3, \"prompt\": \"ok\"}")
        let lines = out.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3)
        XCTAssertEqual(try JSONParser.parse(lines[0])["line"]?.intValue, 1)
        XCTAssertNotNil(try JSONParser.parse(lines[0])["error"]?.stringValue)
        XCTAssertEqual(lines[1], "{\"line\":2,\"error\":\"expected a JSON object\"}")
        XCTAssertEqual(scorer.failures, 2)
        XCTAssertEqual(scorer.lines, 3)
    }
}
