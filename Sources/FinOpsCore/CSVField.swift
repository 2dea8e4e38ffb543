/// RFC 4180 CSV fields: quoted when they hold a comma, quote, CR or LF (quotes doubled); and
/// prefixed with `'` when they start like a spreadsheet formula (`=`, `+`, `-`, `@`), since
/// team and use-case names come from request headers.
public enum CSVField {
    public static func escape(_ field: String) -> String {
        var value = field
        if let first = value.unicodeScalars.first, "=+@\t\r".unicodeScalars.contains(first)
            || (first == "-" && Double(value) == nil) {
            value = "'" + value
        }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
