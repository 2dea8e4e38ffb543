/// The raw counts of one pass over a prompt's UTF-8 bytes: what `PromptFeatures` turns into
/// feature values. No allocation: counters live in registers, keyword hits in a fixed-size
/// inline array, and words are hashed byte by byte as they are read.
///
/// Definitions (shared with scripts/classifier_features.py, the reference): ASCII letters are
/// lower-cased; a word is a maximal run of [a-z0-9_] or non-ASCII bytes; a character is a byte
/// that is not a UTF-8 continuation byte; a sentence end is `.` `!` `?` before whitespace or
/// the end; a fence is three backticks in a row.
struct PromptScan {
    var chars = 0, digits = 0, mathSymbols = 0, codeSymbols = 0, questionMarks = 0
    var newlines = 0, sentences = 0, words = 0, wordBytes = 0
    var fence = false
    /// Keyword hits per lexicon group.
    var hits = InlineArray<30, Int32>(repeating: 0)
    /// Sum of the vocabulary weights of the words read, in text order.
    var vocabularySum = 0.0
    var options = MultipleChoiceShape()

    // Byte classes (one table lookup per byte instead of a chain of comparisons).
    static let word: UInt8 = 1, digit: UInt8 = 2, underscore: UInt8 = 4, math: UInt8 = 8
    static let code: UInt8 = 16, sentenceEnd: UInt8 = 32, question: UInt8 = 64, newline: UInt8 = 128

    static let classes: [UInt8] = (0..<256).map { b -> UInt8 in
        let c = UInt8(b)
        switch c {
        case 0x61...0x7A, 0x41...0x5A, 0x80...0xFF: return word
        case 0x30...0x39: return word | digit
        case 0x5F: return word | underscore
        case 0x3D, 0x2B, 0x2A, 0x2F, 0x5E, 0x3C, 0x3E, 0x25, 0x5C, 0x24: return math  // = + * / ^ < > % \ $
        case 0x7B, 0x7D, 0x3B, 0x60: return code                                      // { } ; `
        case 0x2E, 0x21: return sentenceEnd                                            // . !
        case 0x3F: return sentenceEnd | question                                       // ?
        case 0x0A: return newline
        default: return 0
        }
    }

    init(_ bytes: UnsafeBufferPointer<UInt8>, lexicon: KeywordLexicon) {
        let n = bytes.count
        guard n > 0, let p = bytes.baseAddress else { return }
        var chars = 0, digits = 0, math = 0, code = 0, questions = 0, newlines = 0, sentences = 0
        var words = 0, wordBytes = 0, fence = false
        var sum = 0.0
        var hits = InlineArray<30, Int32>(repeating: 0)
        var h = KeywordLexicon.fnvOffset, length = 0
        // After a word that starts a phrase: the hash of "that word " to continue from.
        var phraseSeed: UInt64? = nil
        Self.classes.withUnsafeBufferPointer { classes in
            lexicon.withTables { table, tableMask, phrases, phraseMask in
                @inline(__always) func count(_ mask: UInt32) {
                    var m = mask
                    while m != 0 {
                        hits[m.trailingZeroBitCount] += 1
                        m &= m - 1
                    }
                }
                @inline(__always) func endWord(at end: Int) {
                    words += 1
                    wordBytes += length
                    let (bits, weight) = KeywordLexicon.find(h, table, tableMask)
                    sum += Double(weight)
                    if bits & KeywordLexicon.groupBits != 0 { count(bits & KeywordLexicon.groupBits) }
                    if let seed = phraseSeed {
                        var ph = seed
                        for j in (end - length)..<end { ph = KeywordLexicon.step(ph, Self.lower(p[j])) }
                        let m = KeywordLexicon.find(ph, phrases, phraseMask).bits & KeywordLexicon.groupBits
                        if m != 0 { count(m) }
                    }
                    phraseSeed = bits & KeywordLexicon.startsPhrase != 0 ? KeywordLexicon.step(h, 0x20) : nil
                    h = KeywordLexicon.fnvOffset
                    length = 0
                }
                var i = 0
                while i < n {
                    let c = p[i]
                    if c & 0xC0 != 0x80 { chars &+= 1 }
                    let k = classes[Int(c)]
                    if k & Self.word != 0 {
                        h = KeywordLexicon.step(h, Self.lower(c))
                        length &+= 1
                        digits &+= Int((k >> 1) & 1)
                        code &+= Int((k >> 2) & 1)
                    } else {
                        if length > 0 { endWord(at: i) }
                        if k != 0 {
                            if k & Self.math != 0 { math &+= 1 }
                            if k & Self.code != 0 {
                                code &+= 1
                                if c == 0x60, i >= 2, p[i - 1] == 0x60, p[i - 2] == 0x60 { fence = true }
                            }
                            if k & Self.sentenceEnd != 0, i + 1 == n || Self.isWhitespace(p[i + 1]) { sentences &+= 1 }
                            if k & Self.question != 0 { questions &+= 1 }
                            if k & Self.newline != 0 { newlines &+= 1 }
                        }
                    }
                    i &+= 1
                }
                if length > 0 { endWord(at: n) }
            }
        }
        self.chars = chars
        self.digits = digits
        self.mathSymbols = math
        self.codeSymbols = code
        self.questionMarks = questions
        self.newlines = newlines
        self.sentences = sentences
        self.words = words
        self.wordBytes = wordBytes
        self.fence = fence
        self.hits = hits
        self.vocabularySum = sum
        self.options = MultipleChoiceShape(bytes)
    }

    init() {}

    @inline(__always) static func lower(_ c: UInt8) -> UInt8 { c &- 0x41 < 26 ? c | 0x20 : c }

    @inline(__always) static func isWhitespace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A }
}
