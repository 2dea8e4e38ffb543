import Foundation

/// The measures the anomaly scan watches, per hour.
public enum AlertMetric: String, Sendable, CaseIterable {
    case spend
    case requests
    case costPerRequest = "cost_per_request"
    case latencyP95 = "p95_latency_ms"
}

/// Who a rollup-based alert is about: a team, or one use case of a team.
public struct AlertScope: Hashable, Sendable, Comparable {
    public var team: String
    /// nil = the whole team.
    public var useCase: String?

    public init(team: String, useCase: String? = nil) {
        self.team = team
        self.useCase = useCase
    }

    /// Fingerprint and label pairs, team first.
    public var pairs: [(String, String)] { [("team", team)] + (useCase.map { [("use_case", $0)] } ?? []) }

    public var description: String { useCase.map { "\(team) / \($0)" } ?? team }

    public static func < (a: AlertScope, b: AlertScope) -> Bool { (a.team, a.useCase ?? "") < (b.team, b.useCase ?? "") }
}

/// One scope's totals for consecutive hours, oldest first, built from hourly spend rollups
/// (hours without rows are zeros), so detectors never scan raw rows.
public struct HourlyScopeSeries: Sendable, Equatable {
    public var scope: AlertScope
    /// Start of the first hour.
    public var start: Date
    public var totals: [SpendTotals]

    public init(scope: AlertScope, start: Date, totals: [SpendTotals]) {
        self.scope = scope
        self.start = start
        self.totals = totals
    }

    public var requests: [Int] { totals.map(\.requests) }

    /// Start of the hour at `index`.
    public func hour(_ index: Int) -> Date { start.addingTimeInterval(Double(index) * 3_600) }

    /// The metric per hour. Spend and requests are 0 in a quiet hour; cost per request and p95
    /// latency have no value in an hour with fewer than `minRequests` requests.
    public func values(_ metric: AlertMetric, minRequests: Int = 1) -> [Double?] {
        totals.map { t in
            switch metric {
            case .spend: t.cost.usd
            case .requests: Double(t.requests)
            case .costPerRequest: t.requests >= max(1, minRequests) ? t.cost.usd / Double(t.requests) : nil
            case .latencyP95: t.requests >= max(1, minRequests) ? t.latency.quantile(0.95) : nil
            }
        }
    }

    /// Series per team and per (team, use case) for the `hours` hours from `start`, busiest first.
    /// A use case is its own scope only when its team has more than one (otherwise it would
    /// repeat the team's alerts); calls without a use case count for the team only.
    public static func build(rollups: [SpendRollup], start: Date, hours: Int) -> [HourlyScopeSeries] {
        let first = SpendRollup.Granularity.epochMillis(start)
        var byScope: [AlertScope: [SpendTotals]] = [:]
        var useCases: [String: Set<String>] = [:]
        for r in rollups {
            let index = Int((SpendRollup.Granularity.epochMillis(r.key.bucket) - first) / 3_600_000)
            guard index >= 0, index < hours, SpendRollup.Granularity.epochMillis(r.key.bucket) >= first else { continue }
            var scopes = [AlertScope(team: r.key.team)]
            if !r.key.useCase.isEmpty {
                scopes.append(AlertScope(team: r.key.team, useCase: r.key.useCase))
                useCases[r.key.team, default: []].insert(r.key.useCase)
            }
            for scope in scopes {
                byScope[scope, default: [SpendTotals](repeating: SpendTotals(), count: hours)][index].add(r.totals)
            }
        }
        return byScope
            .filter { scope, _ in scope.useCase == nil || (useCases[scope.team]?.count ?? 0) > 1 }
            .map { HourlyScopeSeries(scope: $0.key, start: start, totals: $0.value) }
            .sorted { a, b in
                let (x, y) = (a.totals.reduce(0) { $0 + $1.requests }, b.totals.reduce(0) { $0 + $1.requests })
                return x != y ? x > y : a.scope < b.scope
            }
    }
}
