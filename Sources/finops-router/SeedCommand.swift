import ArgumentParser
import FinOpsCore
import Foundation
import Storage

struct SeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Fill the telemetry store with realistic demo traffic (raw rows and rollups).",
        discussion: """
            Teams, use cases and models come from a built-in company profile and the pricing catalog; \
            traffic follows business hours and weekdays, and a spike is planted four days before --end. \
            Rows go through the same store API as live traffic, so rollups stay exact. The same --seed \
            and --end give the same rows and ids: seeding twice adds nothing. Prints rows/s.
            """)

    @OptionGroup var options: ConfigOptions
    @OptionGroup var store: StoreOptions

    @Option(help: "Calls to generate.")
    var rows: Int = 11_000

    @Option(help: "Days of history before --end.")
    var days: Int = 30

    @Option(help: "Random seed (same seed, same data).")
    var seed: UInt64 = 42

    @Option(help: "End of the generated window, UTC (e.g. 2026-11-23 or 2026-11-23T14:00:00Z; default: now).")
    var end: String?

    @Option(help: "Rows per insert transaction.")
    var batchSize: Int = 1_000

    func validate() throws {
        guard rows >= 0, rows <= 50_000_000 else { throw ValidationError("--rows must be 0...50000000") }
        guard (1...3_650).contains(days) else { throw ValidationError("--days must be 1...3650") }
        guard (1...50_000).contains(batchSize) else { throw ValidationError("--batch-size must be 1...50000") }
        if let end, CivilDate.parse(end) == nil { throw ValidationError("--end: expected a UTC date like 2026-11-23T14:00:00Z") }
    }

    func run() async throws {
        let (config, catalog) = try options.load()
        let location = try store.location(config)
        let generator = SeedTrafficGenerator(rows: rows, days: days, end: end.flatMap(CivilDate.parse) ?? Date(),
                                             seed: seed, catalog: catalog)
        let spike = generator.spikeWindow
        print("seeding \(rows) calls over \(days) days into \(location) (seed \(seed); spike \(CivilDate.iso8601(spike.lowerBound)) "
              + "to \(CivilDate.iso8601(spike.upperBound.addingTimeInterval(0.001))): support/ticket-triage pinned to the priciest model)")
        let generatedAt = ContinuousClock.now
        let records = generator.generate()
        let generateSeconds = generatedAt.duration(to: .now).seconds
        let batch = batchSize
        let (inserted, writeSeconds) = try await runStoreWork { () throws -> (Int, Double) in
            let opened = try location.open(connectNow: true)
            defer { (opened as? PostgresTelemetryStore)?.close() }
            let started = ContinuousClock.now
            var inserted = 0
            var lastProgress = started
            let interactive = isatty(STDERR_FILENO) != 0
            for chunk in stride(from: 0, to: records.count, by: batch) {
                inserted += try opened.insert(Array(records[chunk..<min(chunk + batch, records.count)]))
                if interactive && lastProgress.duration(to: .now) > .seconds(1) {
                    lastProgress = .now
                    FileHandle.standardError.write(Data("\r  \(min(chunk + batch, records.count))/\(records.count) rows".utf8))
                }
            }
            if interactive { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            return (inserted, started.duration(to: .now).seconds)
        }
        let rate = writeSeconds > 0 ? Double(records.count) / writeSeconds : 0
        print(String(format: "generated %d rows in %.2f s; wrote them in %.2f s (%d new, %d already present): %.0f rows/s",
                     records.count, generateSeconds, writeSeconds, inserted, records.count - inserted, rate))
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
