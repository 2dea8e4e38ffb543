import FinOpsCore

/// What one detection run did, for logs and `finops-router scheduler run-once`.
public struct SchedulerRunReport: Sendable, Equatable {
    /// False when another replica holds the leader lease (nothing was judged).
    public var leader = true
    /// Alerts raised this run (ids set); `suppressed` ones are stored but not notified.
    public var raised: [AlertRecord] = []
    /// Firing alerts that still hold (value and evidence refreshed, nobody notified).
    public var updated: [AlertRecord] = []
    public var resolved: [AlertRecord] = []
    /// Scopes judged, and scopes left out by `max_scopes`.
    public var scopes = 0
    public var skippedScopes = 0
    /// Sources that failed (their alerts were left as they were), as safe text.
    public var errors: [String] = []

    public init() {}
}
