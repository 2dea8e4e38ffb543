import XCTest
@testable import FinOpsCore

/// The scanner's eight-bytes-at-a-time counts must equal a byte-by-byte count for every byte
/// value and every tail length.
final class PromptScanTests: XCTestCase {
    func testWordSizedCountsMatchAByteByByteCount() {
        var rng = SplitMix64(seed: 11)
        for length in 0..<200 {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let got = bytes.withUnsafeBufferPointer { PromptScan.byteCounts($0.baseAddress ?? UnsafePointer(bitPattern: 8)!, $0.count) }
            XCTAssertEqual(got.continuation, bytes.filter { $0 & 0xC0 == 0x80 }.count, "length \(length)")
            XCTAssertEqual(got.digits, bytes.filter { $0 >= 0x30 && $0 <= 0x39 }.count, "length \(length)")
            XCTAssertEqual(got.underscores, bytes.filter { $0 == 0x5F }.count, "length \(length)")
        }
        let all = (0...255).map { UInt8($0) } + (0...255).map { UInt8(255 - $0) }
        let got = all.withUnsafeBufferPointer { PromptScan.byteCounts($0.baseAddress!, $0.count) }
        XCTAssertEqual(got.continuation, 128)
        XCTAssertEqual(got.digits, 20)
        XCTAssertEqual(got.underscores, 2)
    }

    func testTokenEstimateCountsUnicodeScalars() {
        XCTAssertEqual(CostCalculator.estimateTokens(text: ""), 0)
        XCTAssertEqual(CostCalculator.estimateTokens(text: "abcd"), 1)
        XCTAssertEqual(CostCalculator.estimateTokens(text: "abcde"), 2)
        XCTAssertEqual(CostCalculator.estimateTokens(text: "日本語のテキスト"), 2, "8 scalars, 24 bytes")
        XCTAssertEqual(CostCalculator.estimateTokens(text: String(repeating: "é", count: 40)), 10)
    }
}

/// The lexicon's word hash lower-cases ASCII letters, depends on every byte, and gives the
/// same value whether the word is read from the middle of a prompt or from its very end.
final class WordHashTests: XCTestCase {
    func hash(_ s: String, padding: Int) -> UInt64 {
        let bytes = Array(s.utf8) + [UInt8](repeating: 0x20, count: padding)
        return bytes.withUnsafeBufferPointer { KeywordLexicon.wordHash($0.baseAddress!, s.utf8.count, available: $0.count) }
    }

    func testHashIsCaseBlindAndPositionIndependent() {
        let words = ["a", "in", "court", "defendant", "Defendants", "antidisestablishment", "naïve", "x_1", "ABCDEFGH", "abcdefghi"]
        for w in words {
            XCTAssertEqual(hash(w, padding: 0), hash(w, padding: 20), w)
            // ASCII letters only: "ï" and "Ï" are different words to the classifier, as in training.
            let asciiUpper = String(decoding: w.utf8.map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 32 : $0 }, as: UTF8.self)
            XCTAssertEqual(hash(asciiUpper, padding: 3), hash(w.lowercased(), padding: 0), w)
            XCTAssertEqual(hash(w, padding: 0), KeywordLexicon.hash(w.lowercased().utf8), w)
        }
        XCTAssertEqual(Set(words.map { hash($0.lowercased(), padding: 0) }).count, words.count)
        XCTAssertNotEqual(hash("abcdefgh", padding: 0), hash("abcdefgi", padding: 0))
        XCTAssertNotEqual(hash("ab", padding: 0), hash("ab\0", padding: 0), "length is part of the hash")
        // "@" and "[" sit next to A and Z: they must not be lowered.
        XCTAssertNotEqual(hash("@[", padding: 0), hash("`{", padding: 0))
        XCTAssertEqual(KeywordLexicon.lowered(0x5B5A_4140_7A61_2040), 0x5B7A_6140_7A61_2040)
    }
}

final class WordBoundaryTests: XCTestCase {
    func testNonWordBytesMatchesTheByteTable() {
        for b in 0...255 {
            for position in 0..<8 {
                var bytes = [UInt8](repeating: 0x61, count: 8)
                bytes[position] = UInt8(b)
                let x = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
                let flagged = PromptScan.nonWordBytes(x) >> UInt64(8 * position + 7) & 1 == 1
                XCTAssertEqual(flagged, PromptScan.table[b] & PromptScan.word == 0, "byte \(b) at \(position)")
                XCTAssertEqual(PromptScan.nonWordBytes(x) & ~(UInt64(0x80) << UInt64(8 * position)), 0, "only that byte")
            }
        }
    }
}
