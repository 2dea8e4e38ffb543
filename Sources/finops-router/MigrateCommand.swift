import ArgumentParser
import FinOpsCore
import Foundation
import Storage

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create or upgrade the telemetry schema; optionally enforce raw-row retention.",
        discussion: """
            Safe to run repeatedly and from several replicas at once. On PostgreSQL it also creates the \
            monthly llm_requests partitions ahead of time. Run it daily with --retention-months to drop \
            raw rows older than that many whole months (rollups are kept); see docs/adr/0010.
            """)

    @OptionGroup var options: ConfigOptions
    @OptionGroup var store: StoreOptions

    @Option(help: "Drop raw llm_requests rows older than this many whole months before the current one (rollups are kept).")
    var retentionMonths: Int?

    @Option(help: "PostgreSQL: months of partitions to create ahead of the current one.")
    var partitionsAhead: Int = 2

    func validate() throws {
        if let retentionMonths, retentionMonths < 1 { throw ValidationError("--retention-months must be at least 1") }
        guard (0...36).contains(partitionsAhead) else { throw ValidationError("--partitions-ahead must be 0...36") }
    }

    func run() async throws {
        let (config, _) = try options.load()
        let location = try store.location(config)
        let ahead = partitionsAhead, retention = retentionMonths
        let lines = try await runStoreWork { () throws -> [String] in
            let (applied, current) = try location.migrate()
            var lines = ["\(location): schema version \(current) "
                         + (applied.isEmpty ? "(up to date)" : "(applied \(applied.map(String.init).joined(separator: ", ")))")]
            let opened = try location.open(connectNow: true)
            if let postgres = opened as? PostgresTelemetryStore {
                try postgres.ensurePartitions(monthsAhead: ahead)
                lines.append("llm_requests partitions ready for this month and \(ahead) ahead")
            }
            if let retention {
                let cutoff = Self.startOfMonth(monthsBeforeCurrent: retention)
                let removed = try opened.pruneRequests(before: cutoff)
                lines.append("retention: keeping raw rows from \(CivilDate.iso8601(cutoff)); "
                             + (removed.isEmpty ? "nothing to remove" : removed.joined(separator: "; ")))
            }
            (opened as? PostgresTelemetryStore)?.close()
            return lines
        }
        lines.forEach { print($0) }
    }

    static func startOfMonth(monthsBeforeCurrent n: Int, now: Date = Date()) -> Date {
        let (y, m, _) = CivilDate.fromDaysSinceEpoch(Int(now.timeIntervalSince1970 / 86_400))
        let index = y * 12 + (m - 1) - n
        return Date(timeIntervalSince1970: Double(CivilDate.daysSinceEpoch(year: index / 12, month: index % 12 + 1, day: 1) * 86_400))
    }
}
