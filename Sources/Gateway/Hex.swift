import Crypto

/// Lower-case hex SHA-256, for virtual-key hashes and cache keys (without a format string per
/// byte, which costs more than the hash itself).
enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    static func sha256(_ text: String) -> String {
        let digest = SHA256.hash(data: Array(text.utf8))
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
