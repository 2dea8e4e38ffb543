import Foundation

/// The numbers the complexity classifier weighs, from one pass over the prompt's UTF-8 bytes
/// (`PromptScan`) plus the request fields, and the prompt's vocabulary term (the sum of its
/// words' weights over the square root of its word count).
///
/// This is a port of scripts/classifier_features.py, which computed the training features;
/// the two must agree to the last bit (ClassifierWeightsTests replays the fixtures the script
/// scored, and `scripts/train_classifier.py --verify` compares every dev prompt).
public struct PromptFeatures: Sendable, Equatable {
    /// Feature names in weight order; the weights file must list exactly these.
    public static let names: [String] = [
        "log_chars", "avg_word_len", "digit_ratio", "math_symbols", "code_symbols", "code_fence",
        "question_marks", "newlines", "sentences",
        "kw_reasoning", "kw_math", "kw_code", "kw_law", "kw_medical", "kw_science", "kw_economics",
        "kw_logic", "kw_negation", "kw_conditional", "kw_humanities", "kw_simple_task",
        "short_prompt", "multiple_choice", "option_chars", "option_spread", "option_numeric", "stem_chars",
        "turns", "has_system", "max_tokens", "tools",
    ]

    /// Keyword groups in lexicon-bit order: the `kw_` features, prefix dropped.
    public static let keywordGroups: [String] = names.filter { $0.hasPrefix("kw_") }.map { String($0.dropFirst(3)) }
    static let firstKeywordIndex = 9
    static let count = 31

    /// One value per name in `names`.
    public var values: [Double]
    /// Raw keyword hits per group (before the log), for `route --explain`.
    public var keywordHits: [Int]
    /// The words' part of the logit: Σ word weight / √words.
    public var vocabularyTerm: Double

    public init(_ input: ClassifierInput, lexicon: KeywordLexicon) {
        let scan = Self.scan(input, lexicon)
        var v = [Double](repeating: 0, count: Self.count)
        v.withUnsafeMutableBufferPointer { Self.fill($0, scan, input) }
        values = v
        keywordHits = (0..<lexicon.groups.count).map { Int(scan.hits[$0]) }
        vocabularyTerm = Self.vocabularyTerm(scan)
    }

    /// One pass over the input's text; several messages are scored as one "\n"-joined string,
    /// as in training.
    static func scan(_ input: ClassifierInput, _ lexicon: KeywordLexicon) -> PromptScan {
        if input.texts.count == 1, let scan = input.texts[0].utf8.withContiguousStorageIfAvailable({ PromptScan($0, lexicon: lexicon) }) {
            return scan
        }
        // One copy of every message, newline-separated, into a scratch buffer (on the stack
        // when small): no joined String, no second copy into an Array.
        let total = input.texts.reduce(0) { $0 + $1.utf8.count } + max(input.texts.count - 1, 0)
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(total, 1)) { buffer in
            var at = 0
            for (k, text) in input.texts.enumerated() {
                if k > 0 { buffer[at] = 0x0A; at += 1 }
                let copied = text.utf8.withContiguousStorageIfAvailable { bytes -> Int in
                    if let base = bytes.baseAddress { (buffer.baseAddress! + at).update(from: base, count: bytes.count) }
                    return bytes.count
                }
                if let copied { at += copied } else { for byte in text.utf8 { buffer[at] = byte; at += 1 } }
            }
            return PromptScan(UnsafeBufferPointer(start: buffer.baseAddress, count: at), lexicon: lexicon)
        }
    }

    static func vocabularyTerm(_ s: PromptScan) -> Double {
        s.words > 0 ? s.vocabularySum / Double(s.words).squareRoot() : 0
    }

    /// The feature values, in `names` order, into `v` (at least `count` long).
    static func fill(_ v: UnsafeMutableBufferPointer<Double>, _ s: PromptScan, _ input: ClassifierInput) {
        v[0] = log1p(Double(s.chars))
        v[1] = s.words > 0 ? min(Double(s.wordBytes) / Double(s.words), 12) : 0
        v[2] = s.chars > 0 ? Double(s.digits) / Double(s.chars) : 0
        v[3] = log1p(Double(s.mathSymbols))
        v[4] = log1p(Double(s.codeSymbols))
        v[5] = s.fence ? 1 : 0
        v[6] = Double(min(s.questionMarks, 5))
        v[7] = log1p(Double(s.newlines))
        v[8] = log1p(Double(s.sentences))
        for g in 0..<12 { v[firstKeywordIndex + g] = log1p(Double(s.hits[g])) }
        v[21] = max(0, 1 - Double(s.words) / 8)
        let mc = s.options.values(totalChars: s.chars)
        (v[22], v[23], v[24], v[25], v[26]) = mc
        v[27] = log(Double(max(input.userTurns, 1)))
        v[28] = input.hasSystemPrompt ? 1 : 0
        v[29] = input.maxTokens.map { $0 > 0 ? log1p(Double($0) / 256) : 0 } ?? 0
        v[30] = input.hasTools ? 1 : 0
    }
}
