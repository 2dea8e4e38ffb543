import ArgumentParser
import FinOpsCore
import Foundation
import Gateway
import Logging
import Scheduler
import Storage

struct SchedulerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scheduler", abstract: "The alert scheduler (anomaly, drift and budget alerts).", subcommands: [RunOnce.self])

    struct RunOnce: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run-once",
            abstract: "Run one detection pass (and send what it raised) and print what was raised and resolved.",
            discussion: """
                Uses the same store, budgets, detectors and destinations as `serve`. The judged hour is the last \
                complete one before --at (default: now). After `finops-router seed`, pass a time inside the \
                planted spike, e.g. --at 2026-11-19T12:30:00Z for `seed --end 2026-11-23`.
                """)

        @OptionGroup var options: ConfigOptions
        @OptionGroup var store: StoreOptions

        @Option(help: "Run as of this UTC time (e.g. 2026-11-19T12:30:00Z; default: now).")
        var at: String?

        @Flag(help: "Store alerts and queue their notifications, but do not send them now.")
        var noDeliver = false

        func validate() throws {
            if let at, CivilDate.parse(at) == nil { throw ValidationError("--at: expected a UTC time like 2026-11-19T12:30:00Z") }
        }

        func run() async throws {
            var (config, catalog) = try options.load()
            try store.apply(to: &config.telemetry)
            var logger = Logger(label: "finops-router")
            logger.logLevel = .warning
            let location = try store.location(config)
            let opened = try await runStoreWork { try location.open(connectNow: true) }
            let app = try GatewayApp(config: config, catalog: catalog, environment: ProcessInfo.processInfo.environment,
                                     logger: logger, store: opened)
            let now = at.flatMap(CivilDate.parse) ?? Date()
            let result: (SchedulerRunReport, DeliveryReport)
            do {
                result = try await app.runSchedulerOnce(now: now, deliver: !noDeliver)
            } catch let error as StorageError {
                await app.close()
                throw ValidationError("\(error)")
            }
            await app.close()
            (opened as? PostgresTelemetryStore)?.close()
            print(Self.render(result.0, result.1, now: now, location: "\(location)", config: config), terminator: "")
        }

        static func render(_ run: SchedulerRunReport, _ delivery: DeliveryReport, now: Date, location: String, config: RouterConfig) -> String {
            let judged = SpendRollup.Granularity.hour.bucketStart(now).addingTimeInterval(-3_600)
            var out = "scheduler run at \(CivilDate.iso8601(now)) on \(location): judged hour \(CivilDate.iso8601(judged))\n"
            guard run.leader else {
                return out + "another replica holds the detection lease (\(AlertScheduler.leaseName)); nothing judged\n"
            }
            out += "\(run.scopes) scopes judged\(run.skippedScopes > 0 ? ", \(run.skippedScopes) skipped (scheduler.max_scopes)" : "")\n"
            func line(_ verb: String, _ a: AlertRecord) -> String {
                "\(verb.padding(toLength: 9, withPad: " ", startingAt: 0))\(a.severity.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0))"
                    + "\(a.fingerprint)\n         \(a.message)\n"
            }
            for a in run.raised { out += line(a.deliveryState == .suppressed ? "stored" : "raised", a) }
            for a in run.resolved { out += line("resolved", a) }
            out += "raised \(run.raised.count), resolved \(run.resolved.count), still firing \(run.updated.count)\n"
            for e in run.errors { out += "warning: \(e)\n" }
            if config.notifications.destinations.isEmpty {
                out += "no notification destinations configured: alerts are stored (and shown), not sent\n"
            } else {
                for l in delivery.lines {
                    out += "sent     \(l.action.rawValue) of \(l.alerts) alert(s) to \(l.destination) (\(l.kind.rawValue)): \(l.outcome)"
                        + "\(l.error.map { " (\($0))" } ?? "")\n"
                }
                out += "deliveries: \(delivery.delivered) delivered, \(delivery.retrying) to retry, \(delivery.failed) failed\n"
            }
            return out
        }
    }
}
