import Synchronization

/// The label values a series may carry for the labels a client can influence: teams, models
/// and providers come from the configuration; any other value is written as `other`, so a flood
/// of invented team names or model strings cannot create series (ADR 0020). Users, use cases,
/// keys and request ids are never labels.
public final class LabelVocabulary: Sendable {
    public static let other = "other"

    private struct Words: Sendable {
        var teams: Set<String>
        var models: Set<String>
        var providers: Set<String>
    }

    private let words: Mutex<Words>
    /// nil = accept every value (for benches and tests that build metrics without a config).
    private let open: Bool

    public init(teams: some Sequence<String>, models: some Sequence<String>, providers: some Sequence<String>) {
        words = Mutex(Words(teams: Set(teams), models: Set(models), providers: Set(providers)))
        open = false
    }

    /// Accepts every value: only for metrics that are never exposed to clients' values.
    public static func unbounded() -> LabelVocabulary { LabelVocabulary(open: true) }

    private init(open: Bool) {
        words = Mutex(Words(teams: [], models: [], providers: []))
        self.open = open
    }

    public func team(_ value: String) -> String { open ? value : words.withLock { $0.teams.contains(value) } ? value : Self.other }
    public func model(_ value: String) -> String { open ? value : words.withLock { $0.models.contains(value) } ? value : Self.other }
    public func provider(_ value: String) -> String {
        open ? value : words.withLock { $0.providers.contains(value) } ? value : Self.other
    }

    /// The team values in force, sorted (for pre-created series and budget gauges).
    public var teams: [String] { words.withLock { $0.teams.sorted() } }

    /// Replaces the team list (after a policy reload); still only names from the configuration.
    public func setTeams(_ teams: some Sequence<String>) {
        let fresh = Set(teams)
        words.withLock { $0.teams = fresh }
    }
}
