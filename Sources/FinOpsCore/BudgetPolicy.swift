import Foundation

/// Who a budget caps, from widest to narrowest: every request is checked against its org's,
/// its team's, its user's and its virtual key's budgets at once.
public enum BudgetScope: String, Sendable, Codable, CaseIterable {
    case org, team, user, key
}

/// A budget's accounting window. Windows are calendar periods in UTC, so every replica agrees
/// on when one ends without talking to the others.
public enum BudgetPeriod: String, Sendable, Codable, CaseIterable {
    case daily, monthly

    /// The window holding `time`: an id that names it in counter keys (`d2026-11-23`,
    /// `m2026-11`), and its start and end (the reset time).
    public func window(at time: Date) -> BudgetWindow {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: time)
        let (y, m, d) = (parts.year!, parts.month!, parts.day!)
        switch self {
        case .daily:
            let start = calendar.date(from: DateComponents(year: y, month: m, day: d))!
            let end = calendar.date(byAdding: .day, value: 1, to: start)!
            return BudgetWindow(id: String(format: "d%04d-%02d-%02d", y, m, d), start: start, end: end)
        case .monthly:
            let start = calendar.date(from: DateComponents(year: y, month: m, day: 1))!
            let end = calendar.date(byAdding: .month, value: 1, to: start)!
            return BudgetWindow(id: String(format: "m%04d-%02d", y, m), start: start, end: end)
        }
    }
}

public struct BudgetWindow: Sendable, Equatable {
    public var id: String
    public var start: Date
    public var end: Date

    /// Seconds a counter for this window must live: to its end plus a day, so a call that
    /// reserved just before the reset can still settle.
    public func ttlSeconds(now: Date) -> Int { max(60, Int(end.timeIntervalSince(now).rounded(.up)) + 86_400) }

    /// ISO 8601 reset time, e.g. `2026-12-01T00:00:00Z`.
    public var resetISO8601: String {
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: end)
    }
}

/// What happens once a request would take spend past 100% of the limit.
public enum BudgetAction: String, Sendable, Codable, CaseIterable {
    /// 402 with a JSON error naming the scope, limit, spent and reset time.
    case block
    /// Serve on the cheapest allowed model instead, recorded as the route reason.
    case downgrade
    /// Serve as asked; only the threshold alerts fire.
    case alertOnly = "alert-only"
}

/// When the shared state store (Redis) cannot be reached.
public enum StoreFailureMode: String, Sendable, Codable, CaseIterable {
    /// Keep serving, count against a local (per-replica) ledger, mark rows `budget_unchecked`.
    case open
    /// Refuse with 503 until the store answers again: for hard caps.
    case closed
}

/// One spending cap: `subject` is the org, team, user or key id it applies to (`*` = every
/// subject of that scope, each with its own counter).
public struct BudgetPolicy: Sendable, Equatable, Codable {
    public var scope: BudgetScope
    public var subject: String
    public var period: BudgetPeriod
    public var limit: Money
    /// Percentages of the limit that raise an alert once crossed, ascending.
    public var thresholds: [Int]
    public var action: BudgetAction
    /// Model served instead when `action` is `downgrade`; nil = the cheapest small-tier model.
    public var downgradeModel: String?
    public var onStoreFailure: StoreFailureMode

    public init(scope: BudgetScope, subject: String, period: BudgetPeriod, limit: Money,
                thresholds: [Int] = [50, 80, 100], action: BudgetAction = .block,
                downgradeModel: String? = nil, onStoreFailure: StoreFailureMode = .open) {
        self.scope = scope
        self.subject = subject
        self.period = period
        self.limit = limit
        self.thresholds = thresholds
        self.action = action
        self.downgradeModel = downgradeModel
        self.onStoreFailure = onStoreFailure
    }

    /// Stable identity: one budget per scope, subject and period (`team:search:monthly`).
    public var id: String { "\(scope.rawValue):\(subject):\(period.rawValue)" }

    /// Whether this policy covers `name` in its scope.
    public func applies(to name: String) -> Bool { subject == "*" || subject == name }
}
