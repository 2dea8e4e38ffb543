import ArgumentParser
import Dashboard
import Demo
import FinOpsCore
import Foundation
import Gateway
import Logging

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Tell the product's story on the embedded defaults: routing, savings, failover, a budget, alerts.",
        discussion: """
            Starts its own router (simulated providers, SQLite in ./finops-data/demo.sqlite, in-memory state, \
            alert receivers on loopback; no key, no server), seeds a month of history with a spike in the last \
            complete hour, then drives traffic over HTTP: cost-first vs performance-first on the same prompts, \
            auto-routing savings, an outage of the primary provider with failover, a team budget crossing its \
            thresholds, and one scheduler run that raises and delivers alerts by severity. It then prints where \
            to look and keeps serving the dashboard until Ctrl-C (or exits with --exit).
            """)

    @Option(help: "Listen port of the demo's router (0 picks a free one).")
    var port: Int = 8090

    @Option(help: "Listen address.")
    var host: String = "127.0.0.1"

    @Option(help: "The demo's SQLite store (recreated on every run).")
    var sqlitePath: String = DemoSettings().sqlitePath

    @Flag(help: "Delete an existing store at a --sqlite-path other than the default demo one.")
    var replace = false

    @Option(help: "Calls of seeded history (28 days).")
    var historyRows: Int = DemoSettings().historyRows

    @Flag(help: "Exit when the story is told instead of serving the dashboard until Ctrl-C.")
    var exit = false

    @Flag(help: "Print the demo's configuration (the YAML `serve --config` reads) and exit.")
    var printConfig = false

    @Option(help: "Router log level: trace, debug, info, notice, warning, error.")
    var logLevel: String = "error"

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0...65535") }
        guard (2_000...2_000_000).contains(historyRows) else { throw ValidationError("--history-rows must be 2000...2000000") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level: one of trace, debug, info, notice, warning, error") }
    }

    func run() async throws {
        var settings = DemoSettings()
        settings.port = port
        settings.host = host
        settings.sqlitePath = sqlitePath
        settings.historyRows = historyRows
        if printConfig {
            print(settings.yaml(pagerDutyURL: "http://127.0.0.1:<receiver port>/pagerduty/v2/enqueue"), terminator: "")
            return
        }
        let level = Logger.Level(rawValue: logLevel) ?? .error
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        SignalWaiter.ignoreSIGPIPE()
        SignalWaiter.raiseFileLimit()
        // Written straight to the descriptor: progress shows at once, even through a pipe.
        let say: @Sendable (String) -> Void = { line in FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
        say("FinOps Router demo: simulated providers, SQLite, in-memory state, alert receivers on loopback (nothing leaves this machine)")
        let started = ContinuousClock.now
        let demo: Demo
        do {
            demo = try await Demo.start(settings: settings, replace: replace, logger: Logger(label: "finops-router"), output: say)
        } catch {
            // DemoError, a store that cannot be written, a receiver that cannot listen: one line each.
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
        say("      router listening on \(demo.baseURL)")
        let summary: DemoSummary
        do {
            summary = try await demo.tellStory()
        } catch {
            await demo.stop()
            FileHandle.standardError.write(Data("error: the demo stopped: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let elapsed = started.duration(to: .now)
        say(String(format: "Story told in %.1f s: %d alerts raised, %d notifications received, %d failovers, ",
                   Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
                   summary.alertsRaised.count, summary.deliveries.count, summary.answeredByBackup)
            + "\(DisplayFormat.money(summary.autoSavings)) saved by auto routing")
        say(demo.guide())
        if exit {
            await demo.stop()
            return
        }
        say("Serving the dashboard at \(demo.baseURL)/ until Ctrl-C.")
        _ = await SignalWaiter.waitForTermination()
        await demo.stop()
    }
}
