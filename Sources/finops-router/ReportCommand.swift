import ArgumentParser
import FinOpsCore
import Foundation
import Storage

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Spend, savings, cost per outcome, top models and failovers for a period (from rollups).")

    @OptionGroup var options: ConfigOptions
    @OptionGroup var store: StoreOptions

    @Option(help: "Period ending now: 7d, 30d, 24h, ...")
    var period: String = "7d"

    @Option(help: "Only this team.")
    var team: String?

    @Option(help: "table, csv or json.")
    var format: String = "table"

    @Option(help: "End of the period, UTC (default: the end of the current hour).")
    var end: String?

    func validate() throws {
        guard ReportPeriod(period) != nil else { throw ValidationError("--period: expected something like 7d, 30d or 24h") }
        guard SpendReportRenderer.Format(rawValue: format) != nil else { throw ValidationError("--format: table, csv or json") }
        if let end, CivilDate.parse(end) == nil { throw ValidationError("--end: expected a UTC date like 2026-11-23T14:00:00Z") }
    }

    func run() async throws {
        let (config, _) = try options.load()
        let location = try store.location(config)
        guard let window = ReportPeriod(period, end: end.flatMap(CivilDate.parse)),
              let format = SpendReportRenderer.Format(rawValue: format) else { return }
        let team = self.team
        let report = try await runStoreWork { () throws -> SpendReport in
            let opened = try location.open(connectNow: true)
            defer { (opened as? PostgresTelemetryStore)?.close() }
            let spend = try opened.spendRollups(.hour, from: window.start, to: window.end, team: team)
            let outcomes = try opened.outcomeRollups(from: window.start, to: window.end, team: team)
            return SpendReport(period: window, team: team, spend: spend, outcomes: outcomes)
        }
        print(SpendReportRenderer.render(report, as: format), terminator: "")
    }
}
