import Foundation

/// A virtual API key (`fr-…`) as stored: only its SHA-256 hash, never the key itself.
/// It pins attribution (org, team, user), may restrict models, and may carry its own
/// budget and rate limit.
public struct VirtualKey: Sendable, Equatable, Codable {
    /// Public identifier (`key_…`), used in telemetry, budgets and admin calls.
    public var id: String
    /// Lower-case hex SHA-256 of the full key.
    public var hash: String
    /// First characters of the key, so people can tell keys apart (`fr-AbC1…`).
    public var prefix: String
    public var name: String
    public var org: String
    public var team: String
    public var user: String
    /// Empty = every model.
    public var models: [String]
    public var budget: Money?
    public var budgetPeriod: BudgetPeriod
    public var rateLimit: SpendControls.RateLimit
    public var createdAt: Date
    public var revokedAt: Date?

    public init(id: String, hash: String, prefix: String, name: String, org: String, team: String, user: String,
                models: [String] = [], budget: Money? = nil, budgetPeriod: BudgetPeriod = .monthly,
                rateLimit: SpendControls.RateLimit = .init(), createdAt: Date, revokedAt: Date? = nil) {
        self.id = id; self.hash = hash; self.prefix = prefix; self.name = name; self.org = org
        self.team = team; self.user = user; self.models = models; self.budget = budget
        self.budgetPeriod = budgetPeriod; self.rateLimit = rateLimit; self.createdAt = createdAt
        self.revokedAt = revokedAt
    }

    public var isRevoked: Bool { revokedAt != nil }

    public func allows(model: String) -> Bool { models.isEmpty || models.contains(model) }
}

/// One admin change, kept forever: who, what, on which object, with which values (never a key).
public struct AuditEntry: Sendable, Equatable, Codable {
    public var time: Date
    /// `admin-token` today; a named principal once admin auth has identities.
    public var actor: String
    /// `key.create`, `key.revoke`, `budget.set`, `budget.delete`.
    public var action: String
    public var target: String
    public var details: [String: String]

    public init(time: Date, actor: String, action: String, target: String, details: [String: String] = [:]) {
        self.time = time
        self.actor = actor
        self.action = action
        self.target = target
        self.details = details
    }
}
