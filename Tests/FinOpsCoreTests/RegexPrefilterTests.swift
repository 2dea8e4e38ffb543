import Foundation
import XCTest
@testable import FinOpsCore

/// The regex prefilter may only skip ICU when ICU would not match: literals are derived from a
/// safe subset of the syntax, and a rule with a prefilter answers exactly as the bare regex.
final class RegexPrefilterTests: XCTestCase {
    func literals(_ pattern: String, _ options: NSRegularExpression.Options = []) -> [String] {
        RegexPrefilter(pattern: pattern, options: options).literals.map { String(decoding: $0, as: UTF8.self) }.sorted()
    }

    func testRequiredLiteralsAreFound() {
        XCTAssertEqual(literals("(?i)\\b(alter|create)\\s+table\\b"), ["table"])
        XCTAssertEqual(literals("(?i)\\b(contract|liabilit(y|ies))\\b"), ["contract", "liabilit"])
        XCTAssertEqual(literals("colou?r"), ["colo"])
        XCTAssertEqual(literals("SELECT\\s+\\*\\s+FROM"), ["select"], "lower-cased; the longest run wins")
        XCTAssertEqual(literals("kubectl (get|describe) pods?"), ["kubectl "])
        XCTAssertEqual(literals("a.b\\.c"), ["b.c"], "an escaped dot is a literal, a bare one is not")
        XCTAssertEqual(literals("[0-9]{3}-[0-9]{4} x"), [" x"])
        XCTAssertEqual(literals("(?:foo|bar)baz{2,}"), ["baz"], "one z at least; the group's set is less selective")
        XCTAssertEqual(literals("(?i:invoice|receipt)"), ["invoice", "receipt"])
    }

    func testAnythingOutsideTheSafeSubsetRunsTheRegex() {
        for pattern in ["(?=foo)bar", "(?<=x)y", "\\Qa|b\\E", "\\p{L}+", "café", "(?x) a b", "a|", "x*", "\\x41BC",
                        "(?<name>abc)", "[]abc]", "\\1abc", "(abc", "abc)", "a{", ""] {
            XCTAssertEqual(literals(pattern), [], pattern)
        }
        XCTAssertEqual(literals("table", [.allowCommentsAndWhitespace]), [])
        XCTAssertEqual(literals("table", [.ignoreMetacharacters]), [])
        XCTAssertEqual(literals("table", [.caseInsensitive]), ["table"])
    }

    func testTheFilterOnlyAppliesToASCIIText() {
        let filter = RegexPrefilter(pattern: "(?i)table")
        XCTAssertFalse(filter.mayMatch(lowered: RouteRule.Text("no chairs here").lowered, isASCII: true))
        XCTAssertTrue(filter.mayMatch(lowered: RouteRule.Text("a TABLE").lowered, isASCII: true))
        XCTAssertTrue(filter.mayMatch(lowered: [0x78], isASCII: false), "non-ASCII text always goes to ICU")
        XCTAssertTrue(RegexPrefilter(pattern: "(?=x)").mayMatch(lowered: [], isASCII: true))
    }

    func testRuleTextLowersASCIIAndFlagsNonASCII() {
        let t = RouteRule.Text("Ab_Z ÉTÉ")
        XCTAssertEqual(t.lowered, Array("ab_z ÉTÉ".utf8).map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0 })
        XCTAssertFalse(t.isASCII)
        XCTAssertTrue(RouteRule.Text("plain [ASCII] text").isASCII)
    }

    /// Rules with a prefilter agree with the bare regex on random texts built from the
    /// patterns' own fragments (so both matches and near misses occur), in random case.
    func testPrefilteredRulesAnswerExactlyAsICU() throws {
        let patterns = ["(?i)\\b(alter|create)\\s+table\\b", "(?i)\\b(contract|liabilit(y|ies))\\b", "colou?r",
                        "SELECT\\s+\\*\\s+FROM", "(?i)select\\s+\\*", "kubectl (get|describe) pods?", "a.b\\.c",
                        "[0-9]{3}-[0-9]{4} x", "(?:foo|bar)baz{2,}", "(?i:invoice|receipt)", "^table$", "(?i)^\\s*table",
                        "tab+le", "(?i)k8s|kubernetes", "x{0}table", "(ta)+ble", "(?i)\\bdrop\\b.*\\bdatabase\\b"]
        let fragments = ["alter", "create", "table", "tables", "TABLE", "contract", "liability", "liabilities", "colour",
                         "color", "colr", "select", "SELECT", "*", "from", "FROM", "kubectl", "get", "pods", "pod", "a.b.c",
                         "axb.c", "123-4567", "x", "foo", "bar", "baz", "bazz", "invoice", "Receipt", "tabbble", "tata",
                         "ble", "k8s", "Kubernetes", "drop", "database", "é", "\n", "  ", "-", "(", ")", "K", "ſ", "\u{212A}8s"]
        var rng = SplitMix64(seed: 42)
        var checked = 0, matched = 0
        for pattern in patterns {
            let rule = try RouteRule.regex(name: "p", pattern: pattern, target: .tier(.large))
            let regex = try NSRegularExpression(pattern: pattern)
            XCTAssertNotNil(rule.prefilter)
            for _ in 0..<300 {
                let words = (0..<rng.int(in: 1...6)).map { _ in fragments[rng.int(in: 0...(fragments.count - 1))] }
                let separators = [" ", "", "\n", "  "]
                var text = ""
                for w in words { text += (rng.unit() < 0.3 ? w.uppercased() : w) + separators[rng.int(in: 0...3)] }
                let expected = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
                XCTAssertEqual(rule.matches(text), expected, "\(pattern) on \(text.debugDescription)")
                checked += 1
                matched += expected ? 1 : 0
            }
        }
        XCTAssertGreaterThan(matched, checked / 20, "the texts exercise matches, not only misses")
        XCTAssertLessThan(matched, checked / 2)
    }
}

/// The substring search behind keyword rules and the prefilter, against a naive search.
final class RuleTextSearchTests: XCTestCase {
    func testSearchAgreesWithANaiveScan() {
        var rng = SplitMix64(seed: 7)
        let alphabet = Array("tabe lx_9".utf8)
        func random(_ length: Int) -> [UInt8] { (0..<length).map { _ in alphabet[rng.int(in: 0...(alphabet.count - 1))] } }
        func isWord(_ c: UInt8) -> Bool { c != 0x20 }
        for _ in 0..<3_000 {
            let hay = random(rng.int(in: 0...30)), needle = random(rng.int(in: 1...4))
            for whole in [false, true] {
                var expected = false
                if needle.count <= hay.count {
                    for at in 0...(hay.count - needle.count) where Array(hay[at..<(at + needle.count)]) == needle {
                        if !whole || ((at == 0 || !isWord(hay[at - 1])) && (at + needle.count == hay.count || !isWord(hay[at + needle.count]))) {
                            expected = true
                        }
                    }
                }
                XCTAssertEqual(RouteRule.contains(needle, in: hay, wholeWord: whole), expected,
                               "\(String(decoding: needle, as: UTF8.self)) in \(String(decoding: hay, as: UTF8.self)) whole=\(whole)")
            }
        }
    }
}
