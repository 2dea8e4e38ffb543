/// A response: a complete body, or a stream whose producer writes chunks as they arrive
/// (server-sent events). The producer runs after the headers are queued.
public struct HTTPResponse: Sendable {
    public enum Body: Sendable {
        case bytes([UInt8])
        case stream(@Sendable (ResponseBodyWriter) async -> Void)
    }

    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: Body

    public init(status: Int, headers: [(name: String, value: String)] = [], body: Body = .bytes([])) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public init(status: Int, contentType: String, body: String, headers: [(name: String, value: String)] = []) {
        self.init(status: status, headers: [("Content-Type", contentType)] + headers, body: .bytes(Array(body.utf8)))
    }

    public static func json(_ status: Int, _ body: [UInt8], headers: [(name: String, value: String)] = []) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "application/json")] + headers, body: .bytes(body))
    }

    /// OpenAI-style error body: `{"error":{"message","type","code"}}`.
    public static func error(_ status: Int, type: String, code: String, message: String,
                             headers: [(name: String, value: String)] = []) -> HTTPResponse {
        json(status, Array(errorJSON(type: type, code: code, message: message).utf8), headers: headers)
    }

    public static func errorJSON(type: String, code: String, message: String) -> String {
        "{\"error\":{\"message\":\(jsonString(message)),\"type\":\(jsonString(type)),\"code\":\(jsonString(code)),\"param\":null}}"
    }

    /// Quotes and escapes a string as a JSON string literal.
    public static func jsonString(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20:
                let hex = String(c.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
        return out
    }
}
