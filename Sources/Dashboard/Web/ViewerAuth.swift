/// The optional viewer token (`FINOPS_VIEWER_TOKEN`): when set, every dashboard page, JSON
/// view and CSV needs it, as `Authorization: Bearer <token>` or the `finops_viewer` cookie that
/// the login form sets. Compared in constant time; never echoed, logged or put in a URL.
public struct ViewerAuth: Sendable {
    public static let cookieName = "finops_viewer"
    private let token: [UInt8]?

    public init(token: String?) {
        self.token = token.flatMap { $0.isEmpty ? nil : Array($0.utf8) }
    }

    public var isEnabled: Bool { token != nil }

    /// True when no token is configured, or the request carries the right one.
    public func allows(authorization: String?, cookie: String?) -> Bool {
        guard let token else { return true }
        if let authorization, authorization.count > 7, authorization.prefix(7).lowercased() == "bearer ",
           Self.equal(Array(authorization.dropFirst(7).utf8), token) { return true }
        if let value = Self.cookie(Self.cookieName, in: cookie), Self.equal(Array(value.utf8), token) { return true }
        return false
    }

    public func matches(_ candidate: String) -> Bool {
        guard let token else { return true }
        return Self.equal(Array(candidate.utf8), token)
    }

    /// The `Set-Cookie` value that logs a browser in: HttpOnly (no script reads it), SameSite
    /// Strict (no other site sends it), for the whole dashboard.
    public func loginCookie(_ candidate: String) -> String {
        "\(Self.cookieName)=\(DashboardLinks.encode(candidate)); Path=/; HttpOnly; SameSite=Strict; Max-Age=2592000"
    }

    public static let logoutCookie = "\(cookieName)=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"

    /// A cookie's value from a `Cookie` header (percent-decoded), or nil.
    static func cookie(_ name: String, in header: String?) -> String? {
        guard let header else { return nil }
        for part in header.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingSpaces == name else { continue }
            return DashboardLinks.decode(String(pair[1].trimmingSpaces))
        }
        return nil
    }

    /// Constant-time for equal lengths; a length mismatch returns early (length is not secret
    /// enough to matter next to a 24+ byte random token).
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in a.indices { diff |= a[i] ^ b[i] }
        return diff == 0
    }
}

private extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return s
    }
}
