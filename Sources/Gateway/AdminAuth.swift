import HTTPServer

/// The admin API's bearer token, from `FINOPS_ADMIN_TOKEN`. Without one the admin API is off.
struct AdminAuth: Sendable {
    let token: String?

    /// nil when the request may proceed, else the refusal to send.
    func check(_ request: HTTPRequest) -> HTTPResponse? {
        guard let token, !token.isEmpty else {
            return .error(403, type: "permission_error", code: "admin_disabled",
                          message: "The admin API is disabled: set FINOPS_ADMIN_TOKEN to enable it.")
        }
        let given = request.header("authorization").flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil } ?? ""
        guard Self.constantTimeEqual(Array(given.utf8), Array(token.utf8)) else {
            return .error(401, type: "authentication_error", code: "invalid_admin_token",
                          message: "Missing or wrong admin token (Authorization: Bearer …).")
        }
        return nil
    }

    /// Compares without leaking, through timing, how much of the token matched.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var diff = UInt8(a.count == b.count ? 0 : 1)
        for i in 0..<max(a.count, b.count) {
            diff |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0)
        }
        return diff == 0
    }
}
