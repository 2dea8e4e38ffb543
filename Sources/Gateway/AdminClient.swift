import FinOpsCore
import Foundation
import Logging
import Upstream

/// The CLI's side of the admin API (`finops-router keys …`): one HTTP call per command to a
/// running router, so every change goes through the same validation and audit log.
public struct AdminClient: Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public var status: Int
        public var message: String
        public var description: String { status == 0 ? message : "HTTP \(status): \(message)" }
    }

    let baseURL: String
    let token: String

    public init(baseURL: String, token: String) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
    }

    public func createKey(name: String, team: String, user: String?, org: String?, models: [String],
                          budgetUSD: Double?, period: String?, rpm: Int?, tpm: Int?) async throws -> JSONValue {
        var fields: [(String, JSONValue)] = [("name", .string(name)), ("team", .string(team))]
        if let user { fields.append(("user", .string(user))) }
        if let org { fields.append(("org", .string(org))) }
        if !models.isEmpty { fields.append(("models", .array(models.map { .string($0) }))) }
        if let budgetUSD { fields.append(("budget_usd", .double(budgetUSD))) }
        if let period { fields.append(("budget_period", .string(period))) }
        if let rpm { fields.append(("rpm", .int(rpm))) }
        if let tpm { fields.append(("tpm", .int(tpm))) }
        return try await call("POST", "/admin/keys", body: JSONValue.object(fields).serialized())
    }

    public func listKeys() async throws -> [JSONValue] {
        try await call("GET", "/admin/keys")["data"]?.arrayValue ?? []
    }

    public func revokeKey(id: String) async throws -> JSONValue {
        try await call("DELETE", "/admin/keys/\(id)")
    }

    private func call(_ method: String, _ path: String, body: [UInt8] = []) async throws -> JSONValue {
        var logger = Logger(label: "finops-admin-client")
        logger.logLevel = .error
        let loop = CurlMultiLoop(logger: logger)
        defer { loop.shutdown() }
        let response: UpstreamResponse
        do {
            response = try await loop.execute(UpstreamRequest(
                url: baseURL + path, method: method,
                headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")],
                body: body, timeout: .seconds(10)))
        } catch {
            throw Failure(status: 0, message: "cannot reach the router at \(baseURL): \(error)")
        }
        let json = try? JSONParser.parse(response.body)
        guard (200..<300).contains(response.status), let json else {
            throw Failure(status: response.status, message: json?["error"]?["message"]?.stringValue ?? String(decoding: response.body.prefix(200), as: UTF8.self))
        }
        return json
    }
}
