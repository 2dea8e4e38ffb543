/// Every team's policy, as loaded from `config/policies/`, and the rule for teams with none.
///
/// A team without its own file gets `default.yaml`'s policy when there is one (renamed to the
/// team), else `TeamPolicy(team:)`: the auto strategy over every model. An unknown team is
/// therefore routed, never refused; teams that must be restricted need a file.
public struct TeamPolicies: Sendable, Equatable {
    public var byTeam: [String: TeamPolicy]

    /// The file name (without extension) whose policy covers teams that have no file.
    public static let fallbackTeam = "default"

    public init(_ policies: [TeamPolicy] = []) {
        byTeam = Dictionary(policies.map { ($0.team, $0) }, uniquingKeysWith: { _, later in later })
    }

    public func policy(for team: String) -> TeamPolicy {
        if let own = byTeam[team] { return own }
        guard var shared = byTeam[Self.fallbackTeam] else { return TeamPolicy(team: team) }
        shared.team = team
        return shared
    }

    /// Team names with a file, sorted.
    public var teams: [String] { byTeam.keys.sorted() }
}
