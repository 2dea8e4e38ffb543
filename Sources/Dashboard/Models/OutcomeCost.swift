import FinOpsCore

/// Cost per business outcome for one use case: the use case's whole spend in the range
/// (retries and calls that never reached an outcome included) over the outcomes reported
/// (`X-FinOps-Outcome`), as `finops-router report` computes it.
public struct OutcomeCost: Sendable, Equatable {
    public var team: String
    public var useCase: String
    public var outcome: String
    public var outcomes: Int
    public var useCaseSpend: Money

    /// `useCaseSpend / outcomes`, rounded half up to the nano-dollar.
    public var costPerOutcome: Money {
        outcomes == 0 ? .zero : Money(nanos: (useCaseSpend.nanos + Int64(outcomes) / 2) / Int64(outcomes))
    }

    /// One line per (team, use case, outcome), largest use-case spend first.
    static func lines(spend: [SpendRollup], outcomes: [OutcomeRollup]) -> [OutcomeCost] {
        struct Key: Hashable { var team: String, useCase: String }
        let useCaseSpend = RollupGroups.by(spend) { Key(team: $0.team, useCase: $0.useCase) }
        var counts: [[String]: Int] = [:]
        for row in outcomes { counts[[row.key.team, row.key.useCase, row.key.outcome], default: 0] += row.totals.requests }
        return counts.map { key, n in
            OutcomeCost(team: key[0], useCase: key[1], outcome: key[2], outcomes: n,
                        useCaseSpend: useCaseSpend[Key(team: key[0], useCase: key[1])]?.cost ?? .zero)
        }.sorted { a, b in
            a.useCaseSpend != b.useCaseSpend ? a.useCaseSpend > b.useCaseSpend : (a.team, a.useCase, a.outcome) < (b.team, b.useCase, b.outcome)
        }
    }
}
