import FinOpsCore
import Foundation
import HTTPServer
import Logging
import Storage

/// `/admin/keys`, `/admin/budgets`, `/admin/audit`: behind the token in `FINOPS_ADMIN_TOKEN`
/// (disabled without it). Every change is written to the audit log; key secrets are returned
/// once, at creation, and never stored or logged.
struct AdminAPI: Sendable {
    let token: String?
    let org: String
    let keys: VirtualKeyDirectory
    let budgets: BudgetDirectory
    let configured: [BudgetPolicy]
    let store: any StateStore
    let logger: Logger

    func register(_ router: inout Router) {
        let api = self
        func guarded(_ handler: @escaping @Sendable (HTTPRequest) async -> HTTPResponse) -> RouteHandler {
            .async { request in
                if let refusal = api.authorize(request) { return refusal }
                return await handler(request)
            }
        }
        router.add("POST", "/admin/keys", guarded { await api.createKey($0) })
        router.add("GET", "/admin/keys", guarded { _ in await api.listKeys() })
        router.addPrefix("DELETE", "/admin/keys/", guarded { await api.revokeKey(String($0.path.dropFirst("/admin/keys/".count))) })
        router.add("GET", "/admin/budgets", guarded { _ in await api.listBudgets() })
        router.add("PUT", "/admin/budgets", guarded { await api.setBudget($0) })
        router.add("POST", "/admin/budgets", guarded { await api.setBudget($0) })
        router.addPrefix("DELETE", "/admin/budgets/", guarded { await api.deleteBudget(String($0.path.dropFirst("/admin/budgets/".count))) })
        router.add("GET", "/admin/audit", guarded { await api.audit(limit: Int($0.query["limit"] ?? "") ?? 100) })
    }

    /// nil when the request carries the admin token.
    func authorize(_ request: HTTPRequest) -> HTTPResponse? {
        guard let token, !token.isEmpty else {
            return .error(403, type: "permission_error", code: "admin_disabled",
                          message: "The admin API is disabled: start the router with FINOPS_ADMIN_TOKEN set.")
        }
        let presented = request.header("authorization").flatMap { $0.lowercased().hasPrefix("bearer ") ? String($0.dropFirst(7)) : nil } ?? ""
        guard Self.constantTimeEqual(presented, token) else {
            return .error(401, type: "authentication_error", code: "invalid_admin_token", message: "Send the admin token as 'Authorization: Bearer …'.")
        }
        return nil
    }

    func createKey(_ request: HTTPRequest) async -> HTTPResponse {
        guard let body = try? JSONParser.parse(request.body), case .object = body else { return bad("The body must be a JSON object.") }
        guard let name = body["name"]?.stringValue, !name.isEmpty else { return bad("'name' is required.") }
        guard let team = body["team"]?.stringValue, !team.isEmpty else { return bad("'team' is required.") }
        var period = BudgetPeriod.monthly
        if let p = body["budget_period"]?.stringValue {
            guard let parsed = BudgetPeriod(rawValue: p) else { return bad("'budget_period' must be daily or monthly.") }
            period = parsed
        }
        let usd = body["budget_usd"]?.doubleValue
        if let usd, !Self.validLimit(usd) { return bad("'budget_usd' must be a number above 0 and at most \(Int(Self.maxLimitUSD)).") }
        let budget = usd.map { Money(usd: $0) }
        let limit = SpendControls.RateLimit(requestsPerMinute: body["rpm"]?.intValue, tokensPerMinute: body["tpm"]?.intValue)
        if (limit.requestsPerMinute ?? 1) < 1 || (limit.tokensPerMinute ?? 1) < 1 { return bad("'rpm' and 'tpm' must be positive.") }
        let (secret, key) = VirtualKeyDirectory.mint(
            name: name, org: body["org"]?.stringValue ?? org, team: team, user: body["user"]?.stringValue ?? "",
            models: body["models"]?.arrayValue?.compactMap(\.stringValue) ?? [], budget: budget, period: period,
            rateLimit: limit, now: Date())
        do {
            try await keys.save(key)
            try await audit("key.create", target: key.id, ["name": name, "team": team, "models": key.models.joined(separator: ","),
                                                           "budget_usd": budget?.decimalString ?? ""])
        } catch { return storeError(error) }
        var json = Self.json(key)
        json.set("key", .string(secret))
        return .json(201, json.serialized())
    }

    func listKeys() async -> HTTPResponse {
        do { return .json(200, JSONValue.object([("data", .array(try await keys.all().map(Self.json)))]).serialized()) } catch { return storeError(error) }
    }

    func revokeKey(_ id: String) async -> HTTPResponse {
        do {
            guard let key = try await keys.revoke(id: id, at: Date()) else {
                return .error(404, type: "invalid_request_error", code: "key_not_found", message: "No key with id '\(id)'.")
            }
            try await audit("key.revoke", target: key.id, ["name": key.name])
            return .json(200, Self.json(key).serialized())
        } catch { return storeError(error) }
    }

    func audit(_ action: String, target: String, _ details: [String: String]) async throws {
        let entry = AuditEntry(time: Date(), actor: "admin-token", action: action, target: target, details: details)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = .sortedKeys
        try await store.logAppend(StateKeys.audit, json: String(decoding: try encoder.encode(entry), as: UTF8.self))
        logger.notice("admin change", metadata: ["action": "\(action)", "target": "\(target)"])
    }

    func audit(limit: Int) async -> HTTPResponse {
        do {
            let rows = try await store.logRead(StateKeys.audit, limit: min(max(limit, 1), 10_000))
            let items = rows.compactMap { try? JSONParser.parse($0) }
            return .json(200, JSONValue.object([("data", .array(items))]).serialized())
        } catch { return storeError(error) }
    }

    func bad(_ message: String) -> HTTPResponse {
        .error(400, type: "invalid_request_error", code: "invalid_request", message: message)
    }

    func storeError(_ error: any Error) -> HTTPResponse {
        logger.error("admin store call failed", metadata: ["error": "\(error)"])
        return .error(503, type: "service_unavailable", code: "state_store_unavailable", message: "The state store is unavailable: \(error)")
    }

    static func json(_ k: VirtualKey) -> JSONValue {
        let iso = ISO8601DateFormatter()
        return .object([
            ("id", .string(k.id)), ("prefix", .string(k.prefix)), ("name", .string(k.name)), ("org", .string(k.org)),
            ("team", .string(k.team)), ("user", .string(k.user)), ("models", .array(k.models.map { .string($0) })),
            ("budget_usd", k.budget.map { .number($0.decimalString) } ?? .null), ("budget_period", .string(k.budgetPeriod.rawValue)),
            ("rpm", k.rateLimit.requestsPerMinute.map { .int($0) } ?? .null), ("tpm", k.rateLimit.tokensPerMinute.map { .int($0) } ?? .null),
            ("created_at", .string(iso.string(from: k.createdAt))), ("revoked_at", k.revokedAt.map { .string(iso.string(from: $0)) } ?? .null),
        ])
    }

    /// Dollar limits the admin API accepts (as the config file's `limit_usd`); larger values would
    /// not fit in nano-dollars.
    static let maxLimitUSD = 1e9
    static func validLimit(_ usd: Double) -> Bool { usd.isFinite && usd >= 0.000001 && usd <= maxLimitUSD }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var diff = UInt8(x.count == y.count ? 0 : 1)
        for i in 0..<max(x.count, y.count) { diff |= (i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0) }
        return diff == 0
    }
}
