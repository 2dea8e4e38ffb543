import Foundation

/// The numbers the complexity classifier weighs, computed in one pass over the prompt's UTF-8
/// bytes with no allocation per word.
///
/// This is a port of scripts/classifier_features.py, which computed the training features;
/// the two must agree to the last bit (ClassifierWeightsTests replays the fixtures the script
/// scored). Byte-level on purpose so they cannot disagree about Unicode: ASCII letters are
/// lower-cased, a word is a run of [a-z0-9_] or non-ASCII bytes, a character is a Unicode
/// scalar (a byte that is not a UTF-8 continuation byte).
public struct PromptFeatures: Sendable, Equatable {
    /// Feature names in weight order; the weights file must list exactly these.
    public static let names: [String] = [
        "log_chars", "avg_word_len", "digit_ratio", "math_symbols", "code_symbols", "code_fence",
        "question_marks", "newlines", "sentences",
        "kw_reasoning", "kw_math", "kw_code", "kw_law", "kw_medical", "kw_science", "kw_economics",
        "kw_logic", "kw_negation", "kw_conditional", "kw_humanities", "kw_simple_task",
        "short_prompt", "turns", "has_system", "max_tokens", "tools",
    ]

    /// Keyword groups in lexicon-bit order: the `kw_` features, prefix dropped.
    public static let keywordGroups: [String] = names.filter { $0.hasPrefix("kw_") }.map { String($0.dropFirst(3)) }
    private static let firstKeywordIndex = names.firstIndex(of: "kw_reasoning")!

    /// One value per name in `names`.
    public var values: [Double]
    /// Raw keyword hits per group (before the log), for `route --explain`.
    public var keywordHits: [Int]

    public init(_ input: ClassifierInput, lexicon: KeywordLexicon) {
        var scan = Scan(groupCount: lexicon.groups.count)
        let scannedInPlace = input.texts.count == 1
            && input.texts[0].utf8.withContiguousStorageIfAvailable { scan.run($0, lexicon) } != nil
        if !scannedInPlace {
            // Multi-turn text is scored as one "\n"-joined string, as in training.
            let joined = Array(input.texts.joined(separator: "\n").utf8)
            joined.withUnsafeBufferPointer { scan.run($0, lexicon) }
        }
        let s = scan
        var v = [Double](repeating: 0, count: Self.names.count)
        v[0] = log1p(Double(s.chars))
        v[1] = s.words > 0 ? min(Double(s.wordBytes) / Double(s.words), 12) : 0
        v[2] = s.chars > 0 ? Double(s.digits) / Double(s.chars) : 0
        v[3] = log1p(Double(s.mathSymbols))
        v[4] = log1p(Double(s.codeSymbols))
        v[5] = s.fence ? 1 : 0
        v[6] = Double(min(s.questionMarks, 5))
        v[7] = log1p(Double(s.newlines))
        v[8] = log1p(Double(s.sentences))
        for (g, hits) in s.hits.enumerated() { v[Self.firstKeywordIndex + g] = log1p(Double(hits)) }
        let tail = Self.firstKeywordIndex + s.hits.count
        v[tail] = max(0, 1 - Double(s.words) / 8)
        v[tail + 1] = log(Double(max(input.userTurns, 1)))
        v[tail + 2] = input.hasSystemPrompt ? 1 : 0
        v[tail + 3] = input.maxTokens.map { $0 > 0 ? log1p(Double($0) / 256) : 0 } ?? 0
        v[tail + 4] = input.hasTools ? 1 : 0
        values = v
        keywordHits = s.hits
    }

    /// Counters of one pass; kept apart so `init` reads as the feature definitions.
    private struct Scan {
        var chars = 0, digits = 0, mathSymbols = 0, codeSymbols = 0, questionMarks = 0
        var newlines = 0, sentences = 0, words = 0, wordBytes = 0
        var fence = false
        var hits: [Int]

        init(groupCount: Int) { hits = [Int](repeating: 0, count: groupCount) }

        mutating func run(_ bytes: UnsafeBufferPointer<UInt8>, _ lexicon: KeywordLexicon) {
            var inWord = false, hasPrevious = false
            var unigram: UInt64 = 0, bigram: UInt64 = 0, bigramSeed: UInt64 = 0
            var wordLength = 0, backticks = 0
            @inline(__always) func endWord(_ s: inout Scan) {
                s.words += 1
                s.wordBytes += wordLength
                s.count(lexicon.mask(forHash: unigram))
                if hasPrevious { s.count(lexicon.mask(forHash: bigram)) }
                bigramSeed = KeywordLexicon.step(unigram, 0x20)
                hasPrevious = true
                inWord = false
                wordLength = 0
            }
            let n = bytes.count
            for i in 0..<n {
                var c = bytes[i]
                if c == 0x2E || c == 0x21 || c == 0x3F, i + 1 == n || Self.isWhitespace(bytes[i + 1]) { sentences += 1 }
                if c & 0xC0 != 0x80 { chars += 1 }
                if c == 0x60 { backticks += 1; if backticks >= 3 { fence = true } } else { backticks = 0 }
                if c >= 0x41 && c <= 0x5A { c += 32 }
                if (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x5F || c >= 0x80 {
                    if !inWord {
                        inWord = true
                        unigram = KeywordLexicon.fnvOffset
                        bigram = bigramSeed
                    }
                    unigram = KeywordLexicon.step(unigram, c)
                    bigram = KeywordLexicon.step(bigram, c)
                    wordLength += 1
                    if c >= 0x30 && c <= 0x39 { digits += 1 } else if c == 0x5F { codeSymbols += 1 }
                    continue
                }
                if inWord { endWord(&self) }
                switch c {
                case 0x3D, 0x2B, 0x2A, 0x2F, 0x5E, 0x3C, 0x3E, 0x25, 0x5C, 0x24: mathSymbols += 1  // = + * / ^ < > % \ $
                case 0x7B, 0x7D, 0x3B, 0x60: codeSymbols += 1  // { } ; `
                case 0x3F: questionMarks += 1
                case 0x0A: newlines += 1
                default: break
                }
            }
            if inWord { endWord(&self) }
        }

        @inline(__always) mutating func count(_ mask: UInt32) {
            var m = mask
            while m != 0 {
                hits[m.trailingZeroBitCount] += 1
                m &= m - 1
            }
        }

        @inline(__always) static func isWhitespace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A }
    }
}
