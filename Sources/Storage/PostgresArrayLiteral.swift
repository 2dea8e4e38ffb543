/// Builds the text form of a one-dimensional PostgreSQL array (`{"a","b\"c",NULL}`), the value
/// of one bound parameter. Every element is quoted, so commas, braces, quotes, backslashes and
/// the word NULL inside values stay data.
struct PostgresArrayLiteral {
    private var bytes: [UInt8] = [UInt8(ascii: "{")]
    private var count = 0

    mutating func append(_ value: String?) {
        if count > 0 { bytes.append(UInt8(ascii: ",")) }
        count += 1
        guard let value else {
            bytes.append(contentsOf: "NULL".utf8)
            return
        }
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(byte)
            case 0:
                // PostgreSQL text cannot hold NUL; U+FFFD keeps the row instead of failing the batch.
                bytes.append(contentsOf: [0xEF, 0xBF, 0xBD])
            default:
                bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    var text: String { String(decoding: bytes + [UInt8(ascii: "}")], as: UTF8.self) }
}
