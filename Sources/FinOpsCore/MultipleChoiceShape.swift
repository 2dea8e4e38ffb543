import Foundation

/// The answer options of a multiple-choice prompt: lines that start with a capital A–J, then
/// `.` or `)`, then a space ("A. 4", "B) the court"). How many there are, how long, and how
/// numeric says much about what the question asks (a calculation, a fact, a long argument).
/// Same definitions as `option_shape` in scripts/classifier_features.py.
struct MultipleChoiceShape {
    var options = 0
    /// Characters of the option texts (after the 3-byte marker, up to the newline).
    var optionChars = 0
    var shortest = Int.max, longest = 0
    /// Options whose characters are more than 30% digits.
    var numericOptions = 0
    /// Characters of the option lines, markers included: the rest of the prompt is the stem.
    var optionLineChars = 0

    init() {}

    /// Finds the lines with memchr, so a prompt without options costs one fast pass.
    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress else { return }
        let n = bytes.count
        var start = 0
        while start < n {
            let end: Int
            if let hit = memchr(base + start, 0x0A, n - start) {
                end = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            } else {
                end = n
            }
            if end - start >= 3, bytes[start] &- 0x41 < 10, bytes[start + 1] == 0x2E || bytes[start + 1] == 0x29,
               bytes[start + 2] == 0x20 {
                var chars = 0, digits = 0
                for j in (start + 3)..<end {
                    let c = bytes[j]
                    if c & 0xC0 != 0x80 { chars += 1 }
                    if c &- 0x30 < 10 { digits += 1 }
                }
                options += 1
                optionChars += chars
                shortest = min(shortest, chars)
                longest = max(longest, chars)
                if 10 * digits > 3 * chars { numericOptions += 1 }
                optionLineChars += chars + 3
            }
            start = end + 1
        }
    }

    /// multiple_choice, option_chars, option_spread, option_numeric, stem_chars.
    func values(totalChars: Int) -> (Double, Double, Double, Double, Double) {
        guard options >= 2 else { return (0, 0, 0, 0, 0) }
        let k = Double(options)
        return (1, log1p(Double(optionChars) / k), log1p(Double(longest)) - log1p(Double(shortest)),
                Double(numericOptions) / k, log1p(Double(totalChars - optionLineChars)))
    }
}
