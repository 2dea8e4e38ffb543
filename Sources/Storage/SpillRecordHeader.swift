/// The 16-byte header in front of every spill record (all integers little-endian):
///
///     magic "\u{F5}FS1" | payload length u32 | row count u32 | CRC-32 of bytes 4..<12 + payload
///
/// 0xF5 never occurs in UTF-8, so it cannot appear inside a JSON payload: after a corrupt
/// region, scanning for the magic finds the next record start (confirmed by its checksum).
struct SpillRecordHeader: Equatable {
    static let size = 16
    static let magic: [UInt8] = [0xF5, 0x46, 0x53, 0x31]
    /// Larger lengths are corruption, not data (a batch of 512 rows is ~300 KB).
    static let maxPayload = 256 << 20

    var payloadLength: Int
    var rows: Int
    var checksum: UInt32

    init(payload: [UInt8], rows: Int) {
        payloadLength = payload.count
        self.rows = rows
        checksum = 0
        checksum = expectedChecksum(of: payload)
    }

    /// Parses a header; nil when the magic is wrong or the length is implausible.
    init?(_ bytes: ArraySlice<UInt8>) {
        guard bytes.count >= Self.size, Array(bytes.prefix(4)) == Self.magic else { return nil }
        let base = bytes.startIndex
        func u32(_ at: Int) -> UInt32 {
            (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[base + at + $1]) << (8 * UInt32($1)) }
        }
        payloadLength = Int(u32(4))
        rows = Int(u32(8))
        checksum = u32(12)
        guard payloadLength <= Self.maxPayload else { return nil }
    }

    var bytes: [UInt8] {
        Self.magic + Self.le(UInt32(payloadLength)) + Self.le(UInt32(rows)) + Self.le(checksum)
    }

    func expectedChecksum(of payload: [UInt8]) -> UInt32 {
        let covered = Self.le(UInt32(payloadLength)) + Self.le(UInt32(rows))
        let head = covered.withUnsafeBytes { CRC32.update(0, $0) }
        return payload.withUnsafeBytes { CRC32.update(head, $0) }
    }

    private static func le(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
}
