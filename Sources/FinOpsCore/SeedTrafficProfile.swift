/// The made-up organisation `finops-router seed` generates traffic for: teams, their people,
/// and use cases with typical prompt sizes, model tiers, strategies and business outcomes.
public struct SeedTrafficProfile: Sendable {
    public struct UseCase: Sendable {
        public var name: String
        public var weight: Double
        /// Share of calls per model tier (`small`, `medium`, `large`).
        public var tiers: [(ModelTier, Double)]
        public var meanInputTokens: Double
        public var meanOutputTokens: Double
        public var strategies: [(String, Double)]
        /// The business outcome some calls report (`X-FinOps-Outcome`), and how often.
        public var outcome: (name: String, rate: Double)?
    }

    public struct Team: Sendable {
        public var name: String
        public var weight: Double
        public var users: [String]
        public var useCases: [UseCase]
    }

    public var org: String
    public var teams: [Team]

    private static func people(_ names: [String]) -> [String] { names.map { "\($0)@acme.example" } }

    /// A mid-size company's AI usage: support and search dominate, legal is rare but pricey.
    public static let acme = SeedTrafficProfile(org: "acme", teams: [
        Team(name: "support", weight: 0.30, users: people(["ana.lopez", "ben.okafor", "chen.wei", "dara.singh", "eli.moss"]), useCases: [
            UseCase(name: "ticket-triage", weight: 0.55, tiers: [(.small, 0.8), (.medium, 0.2)], meanInputTokens: 1_400,
                    meanOutputTokens: 220, strategies: [("cost-first", 0.7), ("fixed", 0.3)], outcome: ("ticket_resolved", 0.38)),
            UseCase(name: "reply-draft", weight: 0.45, tiers: [(.small, 0.4), (.medium, 0.6)], meanInputTokens: 2_200,
                    meanOutputTokens: 450, strategies: [("auto", 0.6), ("fixed", 0.4)], outcome: ("reply_sent", 0.55)),
        ]),
        Team(name: "search", weight: 0.25, users: people(["fay.ito", "gus.berg", "hana.kim"]), useCases: [
            UseCase(name: "query-rewrite", weight: 0.6, tiers: [(.small, 1.0)], meanInputTokens: 300, meanOutputTokens: 60,
                    strategies: [("cost-first", 1.0)], outcome: nil),
            UseCase(name: "answer-synthesis", weight: 0.4, tiers: [(.medium, 0.95), (.large, 0.05)], meanInputTokens: 6_000,
                    meanOutputTokens: 500, strategies: [("performance-first", 0.5), ("auto", 0.5)], outcome: ("answer_accepted", 0.6)),
        ]),
        Team(name: "sales", weight: 0.15, users: people(["ivy.park", "jon.reyes", "kai.lund", "lea.roux"]), useCases: [
            UseCase(name: "email-draft", weight: 0.7, tiers: [(.small, 0.5), (.medium, 0.5)], meanInputTokens: 900,
                    meanOutputTokens: 380, strategies: [("cost-first", 0.5), ("fixed", 0.5)], outcome: ("email_sent", 0.45)),
            UseCase(name: "lead-scoring", weight: 0.3, tiers: [(.small, 1.0)], meanInputTokens: 1_600, meanOutputTokens: 40,
                    strategies: [("cost-first", 1.0)], outcome: nil),
        ]),
        Team(name: "data-science", weight: 0.12, users: people(["max.vogel", "noa.levi"]), useCases: [
            UseCase(name: "notebook-assistant", weight: 0.6, tiers: [(.small, 0.2), (.medium, 0.75), (.large, 0.05)], meanInputTokens: 3_500,
                    meanOutputTokens: 700, strategies: [("performance-first", 0.6), ("fixed", 0.4)], outcome: nil),
            UseCase(name: "eval-runs", weight: 0.4, tiers: [(.small, 0.5), (.medium, 0.5)], meanInputTokens: 1_200,
                    meanOutputTokens: 150, strategies: [("fixed", 1.0)], outcome: nil),
        ]),
        Team(name: "marketing", weight: 0.10, users: people(["ola.berg", "pia.sol", "quin.ahn"]), useCases: [
            UseCase(name: "copywriting", weight: 1.0, tiers: [(.small, 0.4), (.medium, 0.6)], meanInputTokens: 700,
                    meanOutputTokens: 600, strategies: [("auto", 0.7), ("fixed", 0.3)], outcome: ("copy_approved", 0.3)),
        ]),
        Team(name: "legal", weight: 0.04, users: people(["rui.costa", "sam.noor"]), useCases: [
            UseCase(name: "contract-review", weight: 1.0, tiers: [(.large, 0.1), (.medium, 0.9)], meanInputTokens: 18_000,
                    meanOutputTokens: 1_200, strategies: [("performance-first", 1.0)], outcome: ("clause_flagged", 0.25)),
        ]),
        Team(name: "platform", weight: 0.04, users: people(["tom.hale", "uma.rao"]), useCases: [
            UseCase(name: "code-review", weight: 1.0, tiers: [(.medium, 0.9), (.large, 0.1)], meanInputTokens: 9_000,
                    meanOutputTokens: 800, strategies: [("auto", 0.5), ("performance-first", 0.5)], outcome: ("pr_merged", 0.2)),
        ]),
    ])
}
