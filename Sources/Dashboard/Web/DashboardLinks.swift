/// Relative URLs the pages link to, with every user-provided part percent-encoded (team names
/// come from request headers). The result is then HTML-escaped like any other attribute value.
public enum DashboardLinks {
    /// Percent-encodes everything but RFC 3986 unreserved characters.
    public static func encode(_ s: String) -> String {
        var out = ""
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xF, radix: 16, uppercase: true)
            }
        }
        return out
    }

    /// Decodes `%XX` escapes (and `+` as space in query strings); nil for malformed escapes or
    /// bytes that are not UTF-8.
    public static func decode(_ s: String, plusAsSpace: Bool = false) -> String? {
        var bytes: [UInt8] = []
        var it = Array(s.utf8)[...]
        while let b = it.popFirst() {
            if b == UInt8(ascii: "%") {
                guard it.count >= 2, let v = UInt8(String(decoding: it.prefix(2), as: UTF8.self), radix: 16) else { return nil }
                bytes.append(v)
                it = it.dropFirst(2)
            } else if plusAsSpace && b == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else {
                bytes.append(b)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// `path?k=v&…` keeping only non-empty values, in the order given.
    public static func url(_ path: String, _ query: [(String, String?)]) -> String {
        let parts = query.compactMap { k, v in v.flatMap { $0.isEmpty ? nil : "\(k)=\(encode($0))" } }
        return parts.isEmpty ? path : path + "?" + parts.joined(separator: "&")
    }

    public static func team(_ team: String, range: DashboardRange.Kind?) -> String {
        url("/teams/" + encode(team), [("range", range?.rawValue)])
    }
}
