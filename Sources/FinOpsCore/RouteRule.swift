import Foundation

/// A team's "this kind of prompt goes there" rule, checked before the strategy: e.g. prompts
/// that mention SQL go to a medium-tier model, legal questions to a named model.
public struct RouteRule: Sendable, Equatable {
    public enum Match: Sendable, Equatable {
        /// Any of these words or phrases, case-insensitive, as whole words ("join" does not
        /// match "joined").
        case keywords([String])
        /// An ICU regular expression (NSRegularExpression: `(?i)` for case-insensitive).
        /// ICU rather than Swift `Regex` because it is ~15x faster on prompt-sized text.
        case regex(NSRegularExpression)

        public static func == (a: Match, b: Match) -> Bool {
            switch (a, b) {
            case let (.keywords(x), .keywords(y)): x == y
            case let (.regex(x), .regex(y)): x.pattern == y.pattern && x.options == y.options
            default: false
            }
        }
    }

    public enum Target: Sendable, Equatable, CustomStringConvertible {
        case tier(ModelTier)
        case model(String)

        public var description: String {
            switch self {
            case .tier(let tier): "tier=\(tier.rawValue)"
            case .model(let model): "model=\(model)"
            }
        }
    }

    /// Shown in the route reason: `rule:<name>`.
    public var name: String
    public var match: Match
    public var target: Target
    /// Keywords as lowered UTF-8, prepared once so matching allocates nothing per request.
    private let keywordBytes: [[UInt8]]
    /// For regex rules: literal text a match needs, so most prompts skip ICU entirely.
    public let prefilter: RegexPrefilter?

    public init(name: String, match: Match, target: Target) {
        self.name = name
        self.match = match
        self.target = target
        switch match {
        case .keywords(let words):
            keywordBytes = words.map { Self.lowered($0) }
            prefilter = nil
        case .regex(let regex):
            keywordBytes = []
            prefilter = RegexPrefilter(pattern: regex.pattern, options: regex.options)
        }
    }

    /// A regex rule; throws the ICU error text when the pattern does not compile.
    public static func regex(name: String, pattern: String, target: Target) throws -> RouteRule {
        RouteRule(name: name, match: .regex(try NSRegularExpression(pattern: pattern)), target: target)
    }

    /// A prompt prepared once for every rule of a policy: its bytes with ASCII letters
    /// lower-cased, and whether it is pure ASCII (where the regex prefilter applies).
    public struct Text: Sendable {
        public let text: String
        public let lowered: [UInt8]
        public let isASCII: Bool

        public init(_ text: String) {
            self.text = text
            var ascii = true
            let utf8 = text.utf8
            lowered = [UInt8](unsafeUninitializedCapacity: utf8.count) { buffer, count in
                var any: UInt8 = 0
                let done: Void? = utf8.withContiguousStorageIfAvailable { bytes in
                    for i in 0..<bytes.count {
                        let c = bytes[i]
                        any |= c
                        buffer[i] = c &- 0x41 < 26 ? c | 0x20 : c
                    }
                }
                if done == nil {
                    for (i, c) in utf8.enumerated() {
                        any |= c
                        buffer[i] = c &- 0x41 < 26 ? c | 0x20 : c
                    }
                }
                ascii = any < 0x80
                count = utf8.count
            }
            isASCII = ascii
        }
    }

    /// Whether the prepared text triggers the rule.
    public func matches(_ text: Text) -> Bool {
        switch match {
        case .keywords:
            return keywordBytes.contains { Self.contains($0, in: text.lowered, wholeWord: true) }
        case .regex(let regex):
            if let prefilter, !prefilter.mayMatch(lowered: text.lowered, isASCII: text.isASCII) { return false }
            let s = text.text
            return regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
        }
    }

    public func matches(_ text: String) -> Bool { matches(Text(text)) }

    /// `text`'s UTF-8 bytes with A–Z lowered; other bytes unchanged (keywords are ASCII-lowered too).
    public static func lowered(_ text: String) -> [UInt8] { Text(text).lowered }

    /// `needle` occurs in `haystack` (with `wholeWord`: with no letter, digit or underscore on
    /// either side). memchr for the needle's rarest byte (by English letter frequency, so
    /// "table" is searched by its "b", not its "t"), memcmp for the whole needle: this runs per
    /// keyword per request.
    static func contains(_ needle: [UInt8], in haystack: [UInt8], wholeWord: Bool) -> Bool {
        guard !needle.isEmpty, needle.count <= haystack.count else { return false }
        return haystack.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { word in
                let base = hay.baseAddress!, n = word.count
                var anchor = 0
                for k in 1..<n where rarity[Int(word[k])] > rarity[Int(word[anchor])] { anchor = k }
                let byte = Int32(word[anchor])
                let last = hay.count - n  // the last possible start
                var start = 0
                while start <= last {
                    guard let hit = memchr(base + start + anchor, byte, last - start + 1) else { return false }
                    let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self)) - anchor
                    // First and last byte inline before calling memcmp: most anchor hits fail there.
                    if hay[at] == word[0], hay[at + n - 1] == word[n - 1], memcmp(base + at, word.baseAddress!, n) == 0,
                       !wholeWord || ((at == 0 || !isWordByte(hay[at - 1])) && (at + n == hay.count || !isWordByte(hay[at + n]))) {
                        return true
                    }
                    start = at + 1
                }
                return false
            }
        }
    }

    /// Higher = rarer in English text: lower-case letters by frequency, then digits and other
    /// bytes (rare), space the most common.
    private static let rarity: [UInt8] = {
        var r = [UInt8](repeating: 200, count: 256)
        for (i, c) in " etaoinshrdlcumwfgypbvkjxqz".utf8.enumerated() { r[Int(c)] = UInt8(i) }
        return r
    }()

    private static func isWordByte(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x5F || c >= 0x80
    }
}
