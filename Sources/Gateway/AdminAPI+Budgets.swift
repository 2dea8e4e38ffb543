import FinOpsCore
import Foundation
import HTTPServer

extension AdminAPI {
    func listBudgets() async -> HTTPResponse {
        let now = Date()
        let policies = await budgets.all()
        let concrete = policies.filter { $0.subject != "*" }
        let keys = concrete.map { StateKeys.budget(org: org, scope: $0.scope, subject: $0.subject, window: $0.period.window(at: now)) }
        let spent = (try? await store.spent(keys)) ?? []
        var spentByID: [String: Money] = [:]
        for (p, s) in zip(concrete, spent) { spentByID[p.id] = s }
        let configuredIDs = Set(configured.map(\.id))
        let items: [JSONValue] = policies.map { p in
            var item = Self.json(p)
            item.set("source", .string(configuredIDs.contains(p.id) ? "config" : "admin"))
            item.set("reset_at", .string(p.period.window(at: now).resetISO8601))
            item.set("spent_usd", spentByID[p.id].map { .number($0.decimalString) } ?? .null)
            return item
        }
        return .json(200, JSONValue.object([("data", .array(items))]).serialized())
    }

    func setBudget(_ request: HTTPRequest) async -> HTTPResponse {
        guard let body = try? JSONParser.parse(request.body), case .object = body else { return bad("The body must be a JSON object.") }
        guard let scope = body["scope"]?.stringValue.flatMap(BudgetScope.init(rawValue:)) else { return bad("'scope' must be org, team, user or key.") }
        guard let subject = body["subject"]?.stringValue, !subject.isEmpty else { return bad("'subject' is required ('*' for every one).") }
        guard let period = BudgetPeriod(rawValue: body["period"]?.stringValue ?? "monthly") else { return bad("'period' must be daily or monthly.") }
        guard let usd = body["limit_usd"]?.doubleValue, Self.validLimit(usd) else {
            return bad("'limit_usd' must be a number above 0 and at most \(Int(Self.maxLimitUSD)).")
        }
        guard let action = BudgetAction(rawValue: body["action"]?.stringValue ?? "block") else { return bad("'action' must be block, downgrade or alert-only.") }
        guard let failure = StoreFailureMode(rawValue: body["on_store_failure"]?.stringValue ?? "open") else { return bad("'on_store_failure' must be open or closed.") }
        let thresholds = body["thresholds"]?.arrayValue?.compactMap(\.intValue) ?? [50, 80, 100]
        guard thresholds.allSatisfy({ (1...1000).contains($0) }) else { return bad("'thresholds' must be percentages from 1 to 1000.") }
        let policy = BudgetPolicy(scope: scope, subject: subject, period: period, limit: Money(usd: usd), thresholds: thresholds.sorted(),
                                  action: action, downgradeModel: body["downgrade_model"]?.stringValue, onStoreFailure: failure)
        do {
            try await budgets.set(policy)
            try await audit("budget.set", target: policy.id, ["limit_usd": policy.limit.decimalString, "action": action.rawValue,
                                                              "on_store_failure": failure.rawValue])
        } catch { return storeError(error) }
        return .json(200, Self.json(policy).serialized())
    }

    func deleteBudget(_ id: String) async -> HTTPResponse {
        let id = id.removingPercentEncoding ?? id
        guard await budgets.all().contains(where: { $0.id == id }), !configured.contains(where: { $0.id == id }) else {
            return .error(404, type: "invalid_request_error", code: "budget_not_found",
                          message: "No admin-set budget with id '\(id)' (budgets from the config file are changed there).")
        }
        do {
            try await budgets.delete(id: id)
            try await audit("budget.delete", target: id, [:])
        } catch { return storeError(error) }
        return .json(200, JSONValue.object([("id", .string(id)), ("deleted", .bool(true))]).serialized())
    }

    static func json(_ p: BudgetPolicy) -> JSONValue {
        .object([
            ("id", .string(p.id)), ("scope", .string(p.scope.rawValue)), ("subject", .string(p.subject)),
            ("period", .string(p.period.rawValue)), ("limit_usd", .number(p.limit.decimalString)),
            ("thresholds", .array(p.thresholds.map { .int($0) })), ("action", .string(p.action.rawValue)),
            ("downgrade_model", p.downgradeModel.map { .string($0) } ?? .null), ("on_store_failure", .string(p.onStoreFailure.rawValue)),
        ])
    }
}
