import Foundation

/// Kinds of personal data and secrets the guardrails look for in prompts.
public enum PIIKind: String, Sendable, Codable, CaseIterable, Comparable {
    case secret, creditCard = "credit_card", iban, usSSN = "us_ssn", email, phone

    /// Overlapping matches keep the kind listed first (a card number is not also a phone number).
    var priority: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (a: PIIKind, b: PIIKind) -> Bool { a.priority < b.priority }

    /// Replacement text for a redacted match: says what was there, never the value.
    public var placeholder: String { "[REDACTED_\(rawValue.uppercased())]" }
}

/// One match: its kind and where it sits in the text (never logged or stored: the value is PII).
public struct PIIFinding: Sendable, Equatable {
    public var kind: PIIKind
    public var range: Range<String.Index>
}

/// Finds PII in text: regular expressions propose candidates, validators confirm them (Luhn for
/// cards, ISO 13616 mod-97 for IBANs, SSA rules for SSNs), so random digit runs do not trip it.
public enum PIIDetector {
    private static let patterns: [(PIIKind, NSRegularExpression)] = {
        let raw: [(PIIKind, String)] = [
            (.secret, #"(?:\bsk-(?:proj-|ant-)?[A-Za-z0-9_\-]{20,}|\bAKIA[0-9A-Z]{16}\b|\bgh[pousr]_[A-Za-z0-9]{36,}|\bxox[abprs]-[A-Za-z0-9\-]{10,}|\bfr-[A-Za-z0-9]{24,}|\bAIza[0-9A-Za-z_\-]{35}|-----BEGIN [A-Z ]*PRIVATE KEY-----|(?i:\b(?:api[_\-]?key|secret|access[_\-]?token|password)\b\s*[:=]\s*["']?[A-Za-z0-9_\-/+=.]{12,}))"#),
            (.creditCard, #"(?<![\d\-])\d(?:[ \-]?\d){12,18}(?![\d\-])"#),
            (.iban, #"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b"#),
            (.usSSN, #"(?<![\d\-])\d{3}[\- ]\d{2}[\- ]\d{4}(?![\d\-])"#),
            (.email, #"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"#),
            (.phone, #"(?<![\w+])(?<!\d[ .\-])(?:\+\d{1,3}[ .\-]?)?(?:\(\d{2,4}\)[ .\-]?|\d{2,4}[ .\-])\d{3,4}[ .\-]?\d{3,4}(?!\w|[ .\-]\d)|\+\d{8,15}\b"#),
        ]
        return raw.map { ($0.0, try! NSRegularExpression(pattern: $0.1)) }
    }()

    /// Confirmed, non-overlapping findings in text order, limited to `kinds`.
    public static func scan(_ text: String, kinds: Set<PIIKind> = Set(PIIKind.allCases)) -> [PIIFinding] {
        guard !kinds.isEmpty, !text.isEmpty else { return [] }
        let whole = NSRange(text.startIndex..., in: text)
        var found: [PIIFinding] = []
        for (kind, regex) in patterns where kinds.contains(kind) {
            for match in regex.matches(in: text, range: whole) {
                guard let range = Range(match.range, in: text), isValid(kind, String(text[range])) else { continue }
                found.append(PIIFinding(kind: kind, range: range))
            }
        }
        // Highest priority first, then drop anything overlapping an earlier keeper.
        found.sort { $0.kind != $1.kind ? $0.kind < $1.kind : $0.range.lowerBound < $1.range.lowerBound }
        var kept: [PIIFinding] = []
        for f in found where !kept.contains(where: { $0.range.overlaps(f.range) }) { kept.append(f) }
        return kept.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    /// `text` with every finding of `kinds` replaced by its placeholder.
    public static func redact(_ text: String, findings: [PIIFinding], kinds: Set<PIIKind>) -> String {
        var out = text
        for f in findings.reversed() where kinds.contains(f.kind) {
            out.replaceSubrange(f.range, with: f.kind.placeholder)
        }
        return out
    }

    static func isValid(_ kind: PIIKind, _ candidate: String) -> Bool {
        switch kind {
        case .creditCard: return PIIValidators.luhn(candidate.filter(\.isNumber))
        case .iban: return PIIValidators.iban(candidate)
        case .usSSN: return PIIValidators.usSSN(candidate)
        case .phone:
            let digits = candidate.filter(\.isNumber).count
            return (10...15).contains(digits)
        case .email, .secret: return true
        }
    }
}
