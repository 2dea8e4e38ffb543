/// Decoder for the AWS event-stream framing used by Bedrock's ConverseStream
/// (`application/vnd.amazon.eventstream`): each message is
/// `total length (4) | headers length (4) | prelude CRC32 (4) | headers | payload | message CRC32 (4)`,
/// big-endian, CRC32 (IEEE). Feed bytes as they arrive; complete messages come out.
public struct AWSEventStreamDecoder: Sendable {
    public struct Message: Sendable, Equatable {
        public var headers: [String: String]
        public var payload: [UInt8]
        public init(headers: [String: String], payload: [UInt8]) {
            self.headers = headers
            self.payload = payload
        }
    }

    public struct FrameError: Error, CustomStringConvertible, Equatable {
        public let reason: String
        public var description: String { "invalid event-stream frame: \(reason)" }
    }

    /// Larger frames are refused rather than buffered (Bedrock's own limit is 16 MiB).
    public static let maxMessageLength = 16 * 1024 * 1024
    private var buffer: [UInt8] = []

    public init() {}

    public var hasPartialMessage: Bool { !buffer.isEmpty }

    public mutating func feed(_ bytes: [UInt8]) throws(FrameError) -> [Message] {
        buffer.append(contentsOf: bytes)
        var out: [Message] = []
        var offset = 0
        while buffer.count - offset >= 12 {
            let total = Int(Self.u32(buffer, offset))
            let headersLength = Int(Self.u32(buffer, offset + 4))
            guard total >= 16 + headersLength, total <= Self.maxMessageLength else {
                throw FrameError(reason: "length \(total) with \(headersLength) bytes of headers")
            }
            guard CRC32.checksum(buffer[offset..<(offset + 8)]) == Self.u32(buffer, offset + 8) else {
                throw FrameError(reason: "prelude checksum mismatch")
            }
            guard buffer.count - offset >= total else { break }
            guard CRC32.checksum(buffer[offset..<(offset + total - 4)]) == Self.u32(buffer, offset + total - 4) else {
                throw FrameError(reason: "message checksum mismatch")
            }
            let headers = try Self.headers(buffer[(offset + 12)..<(offset + 12 + headersLength)])
            out.append(Message(headers: headers, payload: Array(buffer[(offset + 12 + headersLength)..<(offset + total - 4)])))
            offset += total
        }
        buffer.removeFirst(offset)
        return out
    }

    static func u32(_ b: [UInt8], _ i: Int) -> UInt32 {
        UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3])
    }

    /// Headers: name length (1), name, value type (1), value. Only string values (type 7) are
    /// kept; other types are skipped by their fixed or prefixed length.
    static func headers(_ bytes: ArraySlice<UInt8>) throws(FrameError) -> [String: String] {
        var result: [String: String] = [:]
        var i = bytes.startIndex
        func need(_ n: Int) throws(FrameError) { if bytes.endIndex - i < n { throw FrameError(reason: "truncated header") } }
        while i < bytes.endIndex {
            try need(1)
            let nameLength = Int(bytes[i]); i += 1
            try need(nameLength + 1)
            let name = String(decoding: bytes[i..<(i + nameLength)], as: UTF8.self); i += nameLength
            let type = bytes[i]; i += 1
            switch type {
            case 0, 1: break                       // bool true / false
            case 2: try need(1); i += 1            // byte
            case 3: try need(2); i += 2            // int16
            case 4: try need(4); i += 4            // int32
            case 5, 8: try need(8); i += 8         // int64, timestamp
            case 9: try need(16); i += 16          // uuid
            case 6, 7:                              // bytes, string: 2-byte length
                try need(2)
                let length = Int(bytes[i]) << 8 | Int(bytes[i + 1]); i += 2
                try need(length)
                if type == 7 { result[name] = String(decoding: bytes[i..<(i + length)], as: UTF8.self) }
                i += length
            default: throw FrameError(reason: "unknown header type \(type)")
            }
        }
        return result
    }

    /// Encodes one message (string headers only): for mock upstreams and tests.
    public static func encode(headers: [(String, String)], payload: [UInt8]) -> [UInt8] {
        var h: [UInt8] = []
        for (name, value) in headers {
            h.append(UInt8(name.utf8.count)); h += Array(name.utf8); h.append(7)
            h.append(UInt8(value.utf8.count >> 8)); h.append(UInt8(value.utf8.count & 0xFF)); h += Array(value.utf8)
        }
        let total = 12 + h.count + payload.count + 4
        func be(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        var out = be(UInt32(total)) + be(UInt32(h.count))
        out += be(CRC32.checksum(out[...]))
        out += h + payload
        out += be(CRC32.checksum(out[...]))
        return out
    }
}

/// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320).
public enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    public static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in bytes { crc = table[Int((crc ^ UInt32(b)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
