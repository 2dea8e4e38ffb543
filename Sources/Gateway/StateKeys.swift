import FinOpsCore

/// Key names in the state store. Budget and rate keys carry the org as a Redis Cluster hash
/// tag, so one request's script touches a single slot; cache keys spread freely.
enum StateKeys {
    static func budget(org: String, scope: BudgetScope, subject: String, window: BudgetWindow) -> String {
        "finops:{\(org)}:budget:\(scope.rawValue):\(subject):\(window.id)"
    }

    static func rate(org: String, scope: BudgetScope, subject: String, kind: String) -> String {
        "finops:{\(org)}:rate:\(scope.rawValue):\(subject):\(kind)"
    }

    static func cache(team: String, hash: String) -> String { "finops:cache:\(team):\(hash)" }

    /// Collections and logs of admin records.
    static let keys = "virtual_keys"
    static let budgets = "budgets"
    static let audit = "audit"
}
