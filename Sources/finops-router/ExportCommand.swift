import ArgumentParser
import FinOpsCore
import Foundation
import Storage

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export spend as a FOCUS 1.2 style CSV for a warehouse (BigQuery, Snowflake, ...).",
        discussion: """
            One row per rollup row (UTC day or hour, org, team, user, provider, model, use case, strategy). \
            Money columns are exact decimals with nine places: load them as NUMERIC, not FLOAT.
            """)

    @OptionGroup var options: ConfigOptions
    @OptionGroup var store: StoreOptions

    @Flag(help: "FOCUS 1.2 columns (the only format so far).")
    var focus = false

    @Option(help: "Write the CSV here (default: standard output).")
    var out: String?

    @Option(help: "Period ending now: 30d, 7d, 24h, ... (whole UTC days for --granularity day).")
    var period: String = "30d"

    @Option(help: "Charge period per row: day or hour.")
    var granularity: String = "day"

    @Option(help: "Only this team.")
    var team: String?

    @Option(help: "End of the period, UTC (default: now).")
    var end: String?

    func validate() throws {
        guard focus else { throw ValidationError("say which format: --focus") }
        guard ReportPeriod(period) != nil else { throw ValidationError("--period: expected something like 30d or 24h") }
        guard SpendRollup.Granularity(rawValue: granularity) != nil else { throw ValidationError("--granularity: day or hour") }
        if let end, CivilDate.parse(end) == nil { throw ValidationError("--end: expected a UTC date like 2026-11-23T14:00:00Z") }
    }

    func run() async throws {
        let (config, _) = try options.load()
        let location = try store.location(config)
        guard let window = ReportPeriod(period, end: end.flatMap(CivilDate.parse)),
              let granularity = SpendRollup.Granularity(rawValue: granularity) else { return }
        // Whole buckets only: a day row must cover its whole day.
        let from = granularity.bucketStart(window.start)
        let to = granularity.bucketStart(window.end.addingTimeInterval(-0.001)).addingTimeInterval(Double(granularity.seconds))
        let team = self.team
        let rows = try await runStoreWork { () throws -> [SpendRollup] in
            let opened = try location.open(connectNow: true)
            defer { (opened as? PostgresTelemetryStore)?.close() }
            return try opened.spendRollups(granularity, from: from, to: to, team: team)
        }
        let csv = FocusExport.csv(rows, granularity: granularity)
        let total = rows.reduce(Money.zero) { $0 + $1.totals.cost }
        if let out {
            try Data(csv.utf8).write(to: URL(fileURLWithPath: out))
            FileHandle.standardError.write(Data(("wrote \(rows.count) FOCUS rows (\(CivilDate.iso8601(from)) to \(CivilDate.iso8601(to)), "
                + "BilledCost total $\(total.fullDecimalString)) to \(out)\n").utf8))
        } else {
            print(csv, terminator: "")
        }
    }
}
