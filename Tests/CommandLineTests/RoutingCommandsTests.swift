import FinOpsTestSupport
import Foundation
import XCTest

/// `finops-router eval`, `classify` and `route` as a user runs them, on self-written prompts.
final class RoutingCommandsTests: XCTestCase {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "routing-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    /// Hard prompts are the ones the weak model got wrong, so the classifier beats random.
    func writeCSV() throws -> String {
        let rows = [
            ("hi", true, true), ("Write a haiku about rain.", true, true), ("Translate 'good morning' to French.", true, true),
            ("Prove that there are infinitely many primes, then derive a bound on the n-th prime and explain each step.", false, true),
            ("Compute the integral of x^2 * e^x dx and verify the result by differentiation, showing every step.", false, true),
            ("Tell me a joke.", true, false),
        ]
        let csv = "prompt,weak_correct,strong_correct\n" + rows.map { "\"\($0.0)\",\($0.1 ? "True" : "False"),\($0.2 ? "True" : "False")" }
            .joined(separator: "\n") + "\n"
        let path = dir + "/tiny.csv"
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testEvalPrintsJSONAndPerRowScoresWithTheShippedOrAGivenWeightsFile() throws {
        let csv = try writeCSV()
        let json = try FinOpsRouterBinary.run(["eval", "--data", csv, "--json", "--scores", dir + "/a.csv"])
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        XCTAssertEqual(object["rows"] as? Int, 6)
        let classifier = try XCTUnwrap(object["classifier"] as? [String: Double])
        let random = try XCTUnwrap(object["random"] as? [String: Double])
        XCTAssertGreaterThan(classifier["apgr"] ?? 0, random["apgr"] ?? 1, "the two hard prompts score highest")
        let scores = try String(contentsOfFile: dir + "/a.csv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(scores.first, "row,logit,complexity")
        XCTAssertEqual(scores.count, 7)
        // The same weights from the file on disk give the same scores to the last digit.
        let weights = Self.repoRoot.appendingPathComponent("config/classifier-weights.json").path
        try FinOpsRouterBinary.run(["eval", "--data", csv, "--weights", weights, "--scores", dir + "/b.csv"])
        XCTAssertEqual(try String(contentsOfFile: dir + "/b.csv", encoding: .utf8), scores.joined(separator: "\n") + "\n")
    }

    func testABadWeightsFileIsRefusedWithItsName() throws {
        let csv = try writeCSV()
        try #"{"version": 2}"#.write(toFile: dir + "/bad.json", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ProcessRunner.run([FinOpsRouterBinary.path, "eval", "--data", csv, "--weights", dir + "/bad.json"])) { error in
            let output = (error as? ProcessRunner.Failure)?.output ?? "\(error)"
            XCTAssertTrue(output.contains("bad.json") && output.contains("not a weights file"), output)
        }
    }

    func testClassifyWritesOneScoreLinePerRequest() throws {
        let input = dir + "/in.jsonl"
        try """
            {"id": 1, "prompt": "hi"}
            {"id": "b", "messages": [{"role": "user", "content": "Prove step by step that sqrt(2) is irrational."}], "max_tokens": 2000}
            """.write(toFile: input, atomically: true, encoding: .utf8)
        try FinOpsRouterBinary.run(["classify", "--input", input, "--output", dir + "/out.jsonl"])
        let lines = try String(contentsOfFile: dir + "/out.jsonl", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        let rows = try lines.map { try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        XCTAssertEqual(rows[0]["id"] as? Int, 1)
        XCTAssertEqual(rows[1]["id"] as? String, "b")
        XCTAssertEqual(rows[0]["tier"] as? String, "small")
        XCTAssertLessThan(rows[0]["complexity"] as? Int ?? 99, rows[1]["complexity"] as? Int ?? 0)
        XCTAssertLessThan(rows[0]["score"] as? Double ?? 1, rows[1]["score"] as? Double ?? 0)
    }

    func testRouteExplainShowsTheWordsBehindTheScore() throws {
        let out = try FinOpsRouterBinary.run(["route", "--explain", "--policies", dir,
                                              "If the defendant breached the contract, what damages can the plaintiff recover?"])
        XCTAssertTrue(out.contains("classifier  complexity"), out)
        let words = try XCTUnwrap(out.split(separator: "\n").first { $0.hasPrefix("words") })
        XCTAssertTrue(words.contains("defendant") || words.contains("contract") || words.contains("plaintiff"), String(words))
        XCTAssertTrue(out.contains("reason      auto:complexity="), out)
    }
}
