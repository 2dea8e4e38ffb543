import HTTPServer

/// Who a call is billed to, from the `X-FinOps-*` headers (virtual keys come later).
/// Values are trimmed and length-capped so a client cannot bloat rows or labels.
struct RequestAttribution: Sendable {
    var team: String
    var user: String
    var useCase: String
    var outcome: String?

    init(request: HTTPRequest, defaultTeam: String) {
        team = Self.clean(request.header("x-finops-team")) ?? defaultTeam
        user = Self.clean(request.header("x-finops-user")) ?? ""
        useCase = Self.clean(request.header("x-finops-use-case")) ?? ""
        outcome = Self.clean(request.header("x-finops-outcome"))
    }

    static func clean(_ value: String?) -> String? {
        guard let value else { return nil }
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        return String(trimmed.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.prefix(64).map(Character.init))
    }
}

import Foundation

/// Request ids: the client's `X-Request-Id` when it is short and printable, else a random one.
enum RequestID {
    static func from(_ request: HTTPRequest) -> String {
        if let given = request.header("x-request-id"), (1...128).contains(given.utf8.count),
           given.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) {
            return given
        }
        return generate()
    }

    static func generate() -> String {
        var g = SystemRandomNumberGenerator()
        let hi = g.next() as UInt64, lo = g.next() as UInt64
        return "req_" + String(hi, radix: 16) + String(lo, radix: 16)
    }
}
