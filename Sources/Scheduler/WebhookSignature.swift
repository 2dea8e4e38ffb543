import Crypto
import Foundation

/// Signs generic webhook bodies so receivers can check they come from this router and were
/// not replayed: `X-FinOps-Timestamp: <unix seconds>` and
/// `X-FinOps-Signature: sha256=<hex HMAC-SHA256(key, "<timestamp>.<body>")>`. A receiver
/// recomputes the MAC over the timestamp header, a dot and the raw body, compares in constant
/// time, and rejects old timestamps (e.g. more than 5 minutes).
public enum WebhookSignature {
    public static let signatureHeader = "X-FinOps-Signature"
    public static let timestampHeader = "X-FinOps-Timestamp"

    /// The signature header value for `body` sent at `timestamp`.
    public static func sign(body: [UInt8], timestamp: String, key: [UInt8]) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: signedBytes(body: body, timestamp: timestamp), using: SymmetricKey(data: key))
        return "sha256=" + hex(Array(mac))
    }

    /// Whether `signature` is the right one (constant-time comparison).
    public static func verify(body: [UInt8], timestamp: String, signature: String, key: [UInt8]) -> Bool {
        guard signature.hasPrefix("sha256="), let mac = bytes(hex: String(signature.dropFirst(7))) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: signedBytes(body: body, timestamp: timestamp),
                                                       using: SymmetricKey(data: key))
    }

    static func signedBytes(body: [UInt8], timestamp: String) -> [UInt8] { Array(timestamp.utf8) + [UInt8(ascii: ".")] + body }

    static func sha256(_ bytes: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: bytes)) }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 0x0F)]) }
        return String(decoding: out, as: UTF8.self)
    }

    static func bytes(hex: String) -> [UInt8]? {
        let chars = Array(hex.utf8)
        guard chars.count.isMultiple(of: 2) else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: c - 48
            case 97...102: c - 87
            case 65...70: c - 55
            default: nil
            }
        }
        var out = [UInt8]()
        for i in stride(from: 0, to: chars.count, by: 2) {
            guard let hi = nibble(chars[i]), let lo = nibble(chars[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
        }
        return out
    }
}
