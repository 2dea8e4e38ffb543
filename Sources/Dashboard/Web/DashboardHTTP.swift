import FinOpsCore

/// The dashboard's HTTP surface without a server dependency: the gateway converts its own
/// request and response types to these.
public struct DashboardRequest: Sendable {
    public var method: String
    /// Percent-decoded path (`/teams/<script>`), without the query.
    public var path: String
    /// Decoded query arguments.
    public var query: [String: String]
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(method: String, path: String, query: [String: String] = [:], headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.method = method; self.path = path; self.query = query; self.headers = headers; self.body = body
    }

    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name.lowercased() == lowered }?.value
    }

    /// `application/x-www-form-urlencoded` fields of the body.
    var form: [String: String] {
        var out: [String: String] = [:]
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = DashboardLinks.decode(String(kv[0]), plusAsSpace: true) else { continue }
            out[key] = kv.count > 1 ? DashboardLinks.decode(String(kv[1]), plusAsSpace: true) : ""
        }
        return out
    }
}

public struct DashboardResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status; self.headers = headers; self.body = body
    }

    /// Pages allow only their own stylesheet and script, no framing, no inline script.
    static let pageHeaders: [(name: String, value: String)] = [
        ("Content-Security-Policy", "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
        ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "same-origin"), ("X-Frame-Options", "DENY"),
        ("Cache-Control", "no-store"),
    ]

    static func html(_ status: Int, _ body: String, headers: [(name: String, value: String)] = []) -> DashboardResponse {
        DashboardResponse(status: status, headers: [("Content-Type", "text/html; charset=utf-8")] + pageHeaders + headers, body: Array(body.utf8))
    }

    static func json(_ status: Int, _ value: JSONValue, headers: [(name: String, value: String)] = []) -> DashboardResponse {
        DashboardResponse(status: status, headers: [("Content-Type", "application/json"), ("Cache-Control", "no-store"),
                                                    ("X-Content-Type-Options", "nosniff")] + headers, body: value.serialized())
    }

    static func csv(_ text: String, filename: String) -> DashboardResponse {
        DashboardResponse(status: 200, headers: [("Content-Type", "text/csv; charset=utf-8"), ("Cache-Control", "no-store"),
                                                 ("X-Content-Type-Options", "nosniff"),
                                                 ("Content-Disposition", "attachment; filename=\"\(filename)\"")],
                          body: Array(text.utf8))
    }

    /// `{"error":{"message","type","code","param"}}`, the shape of every other error.
    static func error(_ status: Int, type: String, code: String, message: String, param: String? = nil,
                      headers: [(name: String, value: String)] = []) -> DashboardResponse {
        json(status, .object([("error", .object([("message", .string(message)), ("type", .string(type)), ("code", .string(code)),
                                                 ("param", param.map(JSONValue.string) ?? .null)]))]), headers: headers)
    }

    static func redirect(_ location: String, headers: [(name: String, value: String)] = []) -> DashboardResponse {
        DashboardResponse(status: 303, headers: [("Location", location), ("Cache-Control", "no-store"), ("Content-Type", "text/plain; charset=utf-8")] + headers,
                          body: Array("See \(location)".utf8))
    }
}
