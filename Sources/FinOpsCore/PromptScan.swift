/// The raw counts of one pass over a prompt's UTF-8 bytes: what `PromptFeatures` turns into
/// feature values. No allocation: counters live in registers, keyword hits in a fixed-size
/// inline array, and each word is hashed eight bytes at a time once its end is found.
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
    var hits = InlineArray<16, Int32>(repeating: 0)
    /// Sum of the vocabulary weights of the words read, in text order.
    var vocabularySum = 0.0
    var options = MultipleChoiceShape()

    // One table entry per byte value: the byte lower-cased (low 8 bits) and its class flags.
    static let word: UInt16 = 0x100, math: UInt16 = 0x200, code: UInt16 = 0x400
    static let sentenceEnd: UInt16 = 0x800, question: UInt16 = 0x1000, newline: UInt16 = 0x2000

    static let table: [UInt16] = (0..<256).map { b -> UInt16 in
        let c = UInt8(b)
        let flags: UInt16
        switch c {
        case 0x61...0x7A, 0x41...0x5A, 0x30...0x39, 0x5F, 0x80...0xFF: flags = word
        case 0x3D, 0x2B, 0x2A, 0x2F, 0x5E, 0x3C, 0x3E, 0x25, 0x5C, 0x24: flags = math  // = + * / ^ < > % \ $
        case 0x7B, 0x7D, 0x3B, 0x60: flags = code                                      // { } ; `
        case 0x2E, 0x21: flags = sentenceEnd                                            // . !
        case 0x3F: flags = sentenceEnd | question                                       // ?
        case 0x0A: flags = newline
        default: flags = 0
        }
        return flags | UInt16(lower(c))
    }

    init(_ bytes: UnsafeBufferPointer<UInt8>, lexicon: KeywordLexicon) {
        let n = bytes.count
        guard n > 0, let p = bytes.baseAddress else { return }
        let (continuation, digits, underscores) = Self.byteCounts(p, n)
        var math = 0, code = underscores, questions = 0, newlines = 0, sentences = 0
        var words = 0, wordBytes = 0, fence = false
        var sum = 0.0
        var hits = InlineArray<16, Int32>(repeating: 0)
        // The previous word's hash, and whether a phrase starts with it.
        var previous: UInt64 = 0, previousStartsPhrase = false
        Self.table.withUnsafeBufferPointer { table in
            lexicon.withTables { slots, slotMask, phrases, phraseMask in
                @inline(__always) func count(_ mask: UInt32) {
                    var m = mask
                    while m != 0 {
                        hits[m.trailingZeroBitCount] &+= 1
                        m &= m - 1
                    }
                }
                var i = 0
                while i < n {
                    var e = table[Int(p[i])]
                    if e & Self.word != 0 {
                        // A word: find its end eight bytes at a time, hash it, look it (and a
                        // phrase ending in it) up once.
                        let start = i
                        i = Self.wordEnd(p, from: i, count: n, table)
                        if i < n { e = table[Int(p[i])] }
                        words &+= 1
                        wordBytes &+= i - start
                        let h = KeywordLexicon.wordHash(p + start, i - start, available: n - start)
                        let (bits, weight) = KeywordLexicon.find(h, slots, slotMask)
                        sum += Double(weight)
                        if bits & KeywordLexicon.groupBits != 0 { count(bits & KeywordLexicon.groupBits) }
                        if previousStartsPhrase {
                            let m = KeywordLexicon.find(KeywordLexicon.phraseKey(previous, h), phrases, phraseMask).bits
                            if m & KeywordLexicon.groupBits != 0 { count(m & KeywordLexicon.groupBits) }
                        }
                        previous = h
                        previousStartsPhrase = bits & KeywordLexicon.startsPhrase != 0
                        if i == n { break }
                    }
                    if e > 0xFF {
                        // Counted without branches: which symbols follow each other is noise
                        // to a branch predictor.
                        math &+= Int(e >> 9 & 1)
                        code &+= Int(e >> 10 & 1)
                        questions &+= Int(e >> 12 & 1)
                        newlines &+= Int(e >> 13 & 1)
                        let next: UInt8 = i + 1 < n ? p[i + 1] : 0x20  // the end counts as whitespace
                        sentences &+= Int(e >> 11 & 1) & (Self.isWhitespace(next) ? 1 : 0)
                        if p[i] == 0x60, i >= 2, p[i - 1] == 0x60, p[i - 2] == 0x60 { fence = true }
                    }
                    i &+= 1
                }
            }
        }
        self.chars = n - continuation
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

    /// Index of the first non-word byte at or after `start` (or `n`): eight bytes per step,
    /// classified with 64-bit arithmetic, so a word costs no per-byte branch (and no
    /// mispredicted loop exit).
    @inline(__always)
    static func wordEnd(_ p: UnsafePointer<UInt8>, from start: Int, count n: Int, _ table: UnsafeBufferPointer<UInt16>) -> Int {
        var i = start
        let raw = UnsafeRawPointer(p)
        while n - i >= 8 {
            let other = nonWordBytes(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
            if other != 0 { return i &+ other.trailingZeroBitCount >> 3 }
            i &+= 8
        }
        while i < n, table[Int(p[i])] & word != 0 { i &+= 1 }
        return i
    }

    /// Bit 7 of each byte of `x` set where that byte is not a word byte ([A-Za-z0-9_] or
    /// non-ASCII). Range tests on the low 7 bits never carry across bytes.
    @inline(__always)
    static func nonWordBytes(_ x: UInt64) -> UInt64 {
        let high: UInt64 = 0x8080_8080_8080_8080
        let t = x & 0x7F7F_7F7F_7F7F_7F7F
        @inline(__always) func atLeast(_ v: UInt64, _ lo: UInt8) -> UInt64 { v &+ UInt64(0x80 - lo) &* 0x0101_0101_0101_0101 }
        let folded = t | 0x2020_2020_2020_2020  // A-Z -> a-z; nothing else lands in a-z
        let letters = atLeast(folded, 0x61) & ~atLeast(folded, 0x7B)
        let digits = atLeast(t, 0x30) & ~atLeast(t, 0x3A)
        let y = t ^ 0x5F5F_5F5F_5F5F_5F5F
        let underscores = ~(((y & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | y)
        return ~(x | letters | digits | underscores) & high
    }

    /// UTF-8 continuation bytes, ASCII digits and underscores in `p[0..<n]`: counts that do not
    /// depend on word boundaries, taken eight bytes at a time (SWAR: per-byte tests with 64-bit
    /// arithmetic that never carries across bytes, then a popcount).
    @inline(__always)
    static func byteCounts(_ p: UnsafePointer<UInt8>, _ n: Int) -> (continuation: Int, digits: Int, underscores: Int) {
        let high: UInt64 = 0x8080_8080_8080_8080, low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        var continuation = 0, digits = 0, underscores = 0, i = 0
        let raw = UnsafeRawPointer(p)
        while n - i >= 8 {
            let x = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            // 10xxxxxx: bit 7 set and bit 6 clear.
            continuation &+= (x & ~(x << 1) & high).nonzeroBitCount
            // 0x30...0x39 among ASCII bytes: (b & 0x7F) + 0x50 reaches bit 7 from 0x30 on,
            // (b & 0x7F) + 0x46 from 0x3A on; neither sum can carry into the next byte.
            let t = x & low7
            digits &+= ((t &+ 0x5050_5050_5050_5050) & ~(t &+ 0x4646_4646_4646_4646) & ~x & high).nonzeroBitCount
            // Bytes equal to "_": zero bytes of x ^ "________", found exactly.
            let y = x ^ 0x5F5F_5F5F_5F5F_5F5F
            underscores &+= (~(((y & low7) &+ low7) | y) & high).nonzeroBitCount
            i &+= 8
        }
        while i < n {
            let c = p[i]
            if c & 0xC0 == 0x80 { continuation &+= 1 }
            if c &- 0x30 < 10 { digits &+= 1 }
            if c == 0x5F { underscores &+= 1 }
            i &+= 1
        }
        return (continuation, digits, underscores)
    }

    @inline(__always) static func lower(_ c: UInt8) -> UInt8 { c &- 0x41 < 26 ? c | 0x20 : c }

    @inline(__always) static func isWhitespace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A }
}
