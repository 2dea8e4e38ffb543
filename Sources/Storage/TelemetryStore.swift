import FinOpsCore
import Foundation

/// Where `llm_requests` rows and their spend rollups go: SQLite by default, PostgreSQL in
/// production. Both keep the same contract, tested against both.
///
/// The same database keeps the `alerts` table (`AlertStore`); raw-row pages for the dashboard
/// come from `RequestSearch`.
///
/// Blocking API: call it only from the telemetry writer's thread, a `BlockingExecutor`, or a
/// dedicated reader queue, never from Swift's cooperative pool.
public protocol TelemetryStore: AlertStore, RequestSearch {
    /// Inserts `records` in one transaction, idempotently: a record whose `requestID` is already
    /// stored (or repeated within the batch) is skipped, so replaying a batch never duplicates.
    /// The hourly, daily and outcome rollups are upserted in the same transaction from the rows
    /// actually inserted, so they always equal the sums over `llm_requests`.
    /// Returns the number of rows inserted (the rest were duplicates).
    @discardableResult
    func insert(_ records: [TelemetryRecord]) throws -> Int

    /// The newest `limit` records, newest first.
    func recentRequests(limit: Int) throws -> [TelemetryRecord]

    /// Number of stored records.
    func count() throws -> Int

    /// Rollup rows whose bucket starts in `[from, to)`, optionally for one team, oldest first.
    func spendRollups(_ granularity: SpendRollup.Granularity, from: Date, to: Date,
                      team: String?) throws -> [SpendRollup]

    /// Like `spendRollups`, summed in the database over every key column not in `keep` (those
    /// come back empty), with all measures or only counts and money: what dashboard panels
    /// read, so pages stay fast as data grows.
    func spendSummaries(_ granularity: SpendRollup.Granularity, from: Date, to: Date, team: String?,
                        keep: Set<RollupDimension>, measures: RollupMeasures) throws -> [SpendRollup]

    /// Hourly outcome rollups whose bucket starts in `[from, to)`, optionally for one team.
    func outcomeRollups(from: Date, to: Date, team: String?) throws -> [OutcomeRollup]

    /// Outcome rollups of `[from, to)` summed in the database per (org, team, use case, outcome)
    /// over all their hours (bucket = `from`), counts and money only: cost per outcome.
    func outcomeSummaries(from: Date, to: Date, team: String?) throws -> [OutcomeRollup]

    /// Retention: removes raw `llm_requests` older than `cutoff` (whole months on PostgreSQL,
    /// where a month is one partition). Rollups are kept. Returns a line per removed unit.
    func pruneRequests(before cutoff: Date) throws -> [String]
}
