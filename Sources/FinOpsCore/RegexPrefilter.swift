import Foundation

/// Literal text a regex rule cannot match without, found once when the rule is built, so the
/// router can skip the regex (ICU, tens of microseconds on a long prompt) when the prompt holds
/// none of it: `(?i)\b(alter|create)\s+table\b` needs "table" somewhere in the text.
///
/// Sound, not clever: `literals` is a set of ASCII strings of which every match must contain at
/// least one, compared case-insensitively; it is derived from a simple subset of the pattern
/// syntax (literal characters, escaped punctuation, classes, groups, alternation, quantifiers)
/// and is empty — meaning "always run the regex" — for anything else (lookaround, `\Q`, `\p`,
/// non-ASCII, comments mode, …). The check only applies to pure-ASCII text, where ICU's case
/// folding and ASCII lower-casing agree. RegexPrefilterTests compare it with ICU on many pairs.
public struct RegexPrefilter: Sendable, Equatable {
    /// Lower-case; empty = no filter.
    public let literals: [[UInt8]]

    public init(pattern: String, options: NSRegularExpression.Options = []) {
        let safeOptions: NSRegularExpression.Options = [.caseInsensitive, .dotMatchesLineSeparators, .anchorsMatchLines,
                                                        .useUnicodeWordBoundaries, .useUnixLineSeparators]
        guard options.isSubset(of: safeOptions), pattern.utf8.allSatisfy({ $0 < 0x80 }) else {
            literals = []
            return
        }
        var parser = Parser(bytes: Array(pattern.utf8))
        let found = try? parser.alternation()
        literals = parser.index == parser.bytes.count ? (found ?? []) : []
    }

    /// False only when the regex certainly cannot match: `lowered` is ASCII text, lower-cased,
    /// and contains none of the literals.
    public func mayMatch(lowered: [UInt8], isASCII: Bool) -> Bool {
        guard !literals.isEmpty, isASCII else { return true }
        return literals.contains { RouteRule.contains($0, in: lowered, wholeWord: false) }
    }

    private struct Unsupported: Error {}

    /// Recursive descent over the pattern; each level returns the best necessary literal set
    /// of what it parsed (nil = none known).
    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        mutating func alternation() throws(Unsupported) -> [[UInt8]]? {
            var union: [[UInt8]] = []
            var known = true
            while true {
                if let branch = try sequence() { union += branch } else { known = false }
                guard index < bytes.count, bytes[index] == UInt8(ascii: "|") else { break }
                index += 1
            }
            return known ? union : nil
        }

        /// A concatenation up to `|`, `)` or the end. Runs of consecutive required literal
        /// characters and required groups are the candidates; the most selective one wins.
        mutating func sequence() throws(Unsupported) -> [[UInt8]]? {
            var candidates: [[[UInt8]]] = []
            var run: [UInt8] = []
            func endRun() {
                if !run.isEmpty { candidates.append([run]) }
                run = []
            }
            while index < bytes.count {
                let c = bytes[index]
                if c == UInt8(ascii: "|") || c == UInt8(ascii: ")") { break }
                let atom = try self.atom()
                let (minimum, maximum) = try quantifier()
                switch atom {
                case .literal(let byte) where minimum >= 1:
                    run.append(byte)
                    if maximum != 1 { endRun(); run = [byte] }
                case .group(let set?) where minimum >= 1:
                    endRun()
                    candidates.append(set)
                default:
                    endRun()
                }
            }
            endRun()
            return candidates.max { Self.selectivity($0) < Self.selectivity($1) }
        }

        /// Longer shortest literal first, then fewer alternatives.
        static func selectivity(_ set: [[UInt8]]) -> (Int, Int) {
            (set.map(\.count).min() ?? 0, -set.count)
        }

        enum Atom { case literal(UInt8), group([[UInt8]]?), other }

        mutating func atom() throws(Unsupported) -> Atom {
            let c = bytes[index]
            index += 1
            switch c {
            case UInt8(ascii: "("):
                if index < bytes.count, bytes[index] == UInt8(ascii: "?") { try groupFlags() }
                let inner = try alternation()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ")") else { throw Unsupported() }
                index += 1
                return .group(inner)
            case UInt8(ascii: "["):
                try skipClass()
                return .other
            case UInt8(ascii: "\\"):
                return try escape()
            case UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "$"):
                return .other
            case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"), UInt8(ascii: "{"), UInt8(ascii: "]"), UInt8(ascii: "}"):
                throw Unsupported()
            default:
                return .literal(c >= 0x41 && c <= 0x5A ? c + 32 : c)
            }
        }

        /// After `(?`: a non-capturing group or inline flags other than `x`; the rest is unsupported.
        mutating func groupFlags() throws(Unsupported) {
            index += 1
            while index < bytes.count, let flag = Optional(bytes[index]),
                  [UInt8(ascii: "i"), UInt8(ascii: "m"), UInt8(ascii: "s"), UInt8(ascii: "w"), UInt8(ascii: "-")].contains(flag) {
                index += 1
            }
            guard index < bytes.count else { throw Unsupported() }
            // `(?i)` sets flags for the rest of the enclosing group: parsed as an empty group.
            if bytes[index] == UInt8(ascii: ")") { return }
            guard bytes[index] == UInt8(ascii: ":") else { throw Unsupported() }
            index += 1
        }

        mutating func escape() throws(Unsupported) -> Atom {
            guard index < bytes.count else { throw Unsupported() }
            let c = bytes[index]
            index += 1
            if Self.isLetterOrDigit(c) {
                // Classes and zero-width assertions match no fixed text; anything else (\Q, \p,
                // \x, back references, control escapes, …) is left to ICU.
                guard "bBAzZGdDsSwWhHvVR".utf8.contains(c) else { throw Unsupported() }
                return .other
            }
            return .literal(c)
        }

        mutating func skipClass() throws(Unsupported) {
            if index < bytes.count, bytes[index] == UInt8(ascii: "^") { index += 1 }
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { throw Unsupported() }
            var depth = 1
            while index < bytes.count {
                let c = bytes[index]
                index += 1
                switch c {
                case UInt8(ascii: "\\"): index += 1
                case UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return }
                default: break
                }
            }
            throw Unsupported()
        }

        /// (minimum, maximum) repetitions of the atom just parsed; maximum -1 = unbounded.
        mutating func quantifier() throws(Unsupported) -> (Int, Int) {
            guard index < bytes.count else { return (1, 1) }
            let bounds: (Int, Int)
            switch bytes[index] {
            case UInt8(ascii: "?"): bounds = (0, 1); index += 1
            case UInt8(ascii: "*"): bounds = (0, -1); index += 1
            case UInt8(ascii: "+"): bounds = (1, -1); index += 1
            case UInt8(ascii: "{"):
                index += 1
                let low = number()
                var high = low
                if index < bytes.count, bytes[index] == UInt8(ascii: ",") { index += 1; high = number() ?? -1 }
                guard let low, index < bytes.count, bytes[index] == UInt8(ascii: "}") else { throw Unsupported() }
                index += 1
                bounds = (low, high ?? low)
            default: return (1, 1)
            }
            // Lazy (`?`) and possessive (`+`) forms repeat the same way.
            if index < bytes.count, bytes[index] == UInt8(ascii: "?") || bytes[index] == UInt8(ascii: "+") { index += 1 }
            return bounds
        }

        mutating func number() -> Int? {
            var value: Int?
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39, (value ?? 0) < 100_000 {
                value = (value ?? 0) * 10 + Int(bytes[index] - 0x30)
                index += 1
            }
            return value
        }

        static func isLetterOrDigit(_ c: UInt8) -> Bool {
            (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39)
        }
    }
}
