/// Check-digit and range rules that turn a pattern match into a confirmed finding.
public enum PIIValidators {
    /// Luhn (mod 10) over 13–19 digits: every payment card number passes it.
    public static func luhn(_ digits: String) -> Bool {
        let values = digits.compactMap(\.wholeNumberValue)
        guard values.count == digits.count, (13...19).contains(values.count) else { return false }
        // All-same digits (0000 0000 0000 0000) pass Luhn but are placeholders, not cards.
        guard Set(values).count > 1 else { return false }
        var sum = 0
        for (i, d) in values.reversed().enumerated() {
            if i % 2 == 1 {
                let doubled = d * 2
                sum += doubled > 9 ? doubled - 9 : doubled
            } else {
                sum += d
            }
        }
        return sum % 10 == 0
    }

    /// ISO 13616 IBAN: country letters, two check digits, 11–30 alphanumerics; moving the first
    /// four characters to the end and reading letters as 10–35 must leave remainder 1 mod 97.
    public static func iban(_ text: String) -> Bool {
        let compact = Array(text.uppercased().filter { $0 != " " })
        guard (15...34).contains(compact.count),
              compact[0].isLetter, compact[1].isLetter, compact[2].isNumber, compact[3].isNumber else { return false }
        var remainder = 0
        for ch in compact[4...] + compact[..<4] {
            guard let ascii = ch.asciiValue else { return false }
            let value: Int
            switch ascii {
            case 48...57: value = Int(ascii - 48)
            case 65...90: value = Int(ascii - 55)
            default: return false
            }
            remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97
        }
        return remainder == 1
    }

    /// US SSN `AAA-GG-SSSS`: area not 000, 666 or 900–999; group not 00; serial not 0000.
    public static func usSSN(_ text: String) -> Bool {
        let digits = text.compactMap(\.wholeNumberValue)
        guard digits.count == 9 else { return false }
        let area = digits[0] * 100 + digits[1] * 10 + digits[2]
        let group = digits[3] * 10 + digits[4]
        let serial = digits[5...].reduce(0) { $0 * 10 + $1 }
        return area != 0 && area != 666 && area < 900 && group != 0 && serial != 0
    }
}
