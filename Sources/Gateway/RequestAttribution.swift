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
import Synchronization

/// Request ids are always the router's own: `request_id` is the telemetry row's unique key, and a
/// client that reuses its ids (retries do) must not make a row a "duplicate" that is skipped.
enum RequestID {
    static func from(_ request: HTTPRequest) -> String { generate() }

    /// A random per-process prefix plus a counter: unique across replicas and restarts without
    /// a getrandom() call per request.
    static func generate() -> String {
        "req_" + prefix + String(counter.add(1, ordering: .relaxed).newValue, radix: 16)
    }

    private static let prefix: String = {
        var g = SystemRandomNumberGenerator()
        let p = String(g.next() as UInt64, radix: 16)
        return String(repeating: "0", count: 16 - p.count) + p
    }()
    private static let counter = Atomic<UInt64>(0)
}

import FinOpsCore

extension TelemetryRecord {
    /// A request's row before anything is known of its route: who it is for, when it came.
    init(requestID: String, org: String, attribution a: RequestAttribution) {
        self.init(time: Date(), requestID: requestID, org: org, team: a.team, user: a.user, useCase: a.useCase,
                  strategy: "fixed", requestedModel: "", outcome: a.outcome)
    }
}
