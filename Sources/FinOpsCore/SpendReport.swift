import Foundation

/// What `finops-router report` shows, computed from rollups only (never raw rows): totals,
/// spend by team and by day, top models, failovers, and cost per business outcome.
public struct SpendReport: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        /// The grouping value: a team, `provider/model`, a day (`2026-11-23`), ...
        public var name: String
        public var totals: SpendTotals
    }

    /// Cost per business outcome for one use case: all of the use case's spend divided by the
    /// calls that reported the outcome (what one resolved ticket really costs, retries and
    /// unresolved attempts included), next to the spend of the tagged calls alone.
    public struct OutcomeLine: Sendable, Equatable {
        public var team: String
        public var useCase: String
        public var outcome: String
        public var outcomes: Int
        public var useCaseSpend: Money
        public var taggedSpend: Money
        /// `useCaseSpend / outcomes`, rounded half up to the nano-dollar.
        public var costPerOutcome: Money {
            outcomes == 0 ? .zero : Money(nanos: (useCaseSpend.nanos + Int64(outcomes) / 2) / Int64(outcomes))
        }
    }

    public var period: ReportPeriod
    public var team: String?
    public var total: SpendTotals
    public var byTeam: [Line]
    public var byDay: [Line]
    public var topModels: [Line]
    /// Models that served calls after a failover, by failover count.
    public var failovers: [Line]
    public var outcomes: [OutcomeLine]

    public init(period: ReportPeriod, team: String?, spend: [SpendRollup], outcomes outcomeRows: [OutcomeRollup],
                topModelCount: Int = 10) {
        self.period = period
        self.team = team
        var total = SpendTotals()
        var teams: [String: SpendTotals] = [:], days: [String: SpendTotals] = [:], models: [String: SpendTotals] = [:]
        var useCases: [String: SpendTotals] = [:]
        for row in spend {
            total.add(row.totals)
            teams[row.key.team, default: SpendTotals()].add(row.totals)
            days[Self.day(row.key.bucket), default: SpendTotals()].add(row.totals)
            models["\(row.key.provider)/\(row.key.model)", default: SpendTotals()].add(row.totals)
            useCases[row.key.team + "\u{1F}" + row.key.useCase, default: SpendTotals()].add(row.totals)
        }
        self.total = total
        let bySpend = { (a: Line, b: Line) in a.totals.cost != b.totals.cost ? a.totals.cost > b.totals.cost : a.name < b.name }
        byTeam = teams.map { Line(name: $0.key, totals: $0.value) }.sorted(by: bySpend)
        byDay = days.map { Line(name: $0.key, totals: $0.value) }.sorted { $0.name < $1.name }
        let modelLines = models.map { Line(name: $0.key, totals: $0.value) }
        topModels = Array(modelLines.sorted(by: bySpend).prefix(topModelCount))
        failovers = modelLines.filter { $0.totals.failovers > 0 }
            .sorted { $0.totals.failovers != $1.totals.failovers ? $0.totals.failovers > $1.totals.failovers : $0.name < $1.name }
        var outcomeTotals: [String: (team: String, useCase: String, outcome: String, totals: SpendTotals)] = [:]
        for row in outcomeRows {
            let key = [row.key.team, row.key.useCase, row.key.outcome].joined(separator: "\u{1F}")
            outcomeTotals[key, default: (row.key.team, row.key.useCase, row.key.outcome, SpendTotals())].totals.add(row.totals)
        }
        outcomes = outcomeTotals.values.map { entry in
            OutcomeLine(team: entry.team, useCase: entry.useCase, outcome: entry.outcome, outcomes: entry.totals.requests,
                        useCaseSpend: useCases[entry.team + "\u{1F}" + entry.useCase]?.cost ?? .zero,
                        taggedSpend: entry.totals.cost)
        }.sorted { ($0.team, $0.useCase, $0.outcome) < ($1.team, $1.useCase, $1.outcome) }
    }

    /// `yyyy-MM-dd` of a UTC day bucket.
    static func day(_ date: Date) -> String {
        let days = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
        let (y, m, d) = CivilDate.fromDaysSinceEpoch(days)
        return String(format: "%04d-%02d-%02d", y, m, d)
    }

    /// Savings as a share of the baseline, in percent (0 when there is no baseline).
    public static func savingsPercent(_ t: SpendTotals) -> Double {
        t.baselineCost.nanos == 0 ? 0 : Double(t.savings.nanos) / Double(t.baselineCost.nanos) * 100
    }
}
