import Dashboard
import FinOpsCore
import Foundation
import Gateway
import Logging
import Scheduler
import Storage
import Upstream

/// Why the demo could not start, said so the user knows what to do.
public struct DemoError: Error, CustomStringConvertible {
    public var description: String
}

/// What the demo showed, for its closing lines and for tests.
public struct DemoSummary: Sendable {
    public struct StrategyLine: Sendable {
        public var strategy: String
        public var calls: Int
        public var cost: Money
        public var models: [String: Int]
        public var p50Ms: Double
    }
    public var historyRows = 0
    public var spikeHour = Date(timeIntervalSince1970: 0)
    public var strategies: [StrategyLine] = []
    public var autoCalls = 0
    public var autoTiers: [String: Int] = [:]
    public var autoCost = Money.zero
    public var autoSavings = Money.zero
    public var outageCalls = 0
    public var answeredByBackup = 0
    public var outageFailures = 0
    /// The primary's circuit as /metrics shows it after the outage calls: open, half-open, closed.
    public var primaryCircuit = "unknown"
    public var budgetThresholdsCrossed: [Int] = []
    public var budgetRefusedAt: Int?
    public var alertsRaised: [AlertRecord] = []
    /// "PagerDuty", "Slack", "webhook" per delivery the local receivers got.
    public var deliveries: [String] = []
    public var webhookSignaturesValid = true
    /// From the dashboard's own JSON (`/api/v1/overview?range=24h`, `/api/v1/drift?range=24h`).
    public var dashboardRequests = 0
    public var dashboardSavings = Money.zero
    public var dashboardFailovers = 0
    public var dashboardAlerts = 0
}

/// `finops-router demo`: starts a router on the demo settings (embedded defaults plus a
/// simulated outage, a budget and loopback alert receivers), seeds a month of history with a
/// spike in the last complete hour, then drives traffic that tells the product's story —
/// cost-first vs performance-first, auto-routing savings, failover through an outage, a budget
/// crossing its thresholds, and the scheduler raising and delivering alerts — printing progress
/// as it goes. Every call goes over loopback HTTP, like an app's.
public final class Demo: Sendable {
    public let settings: DemoSettings
    public let app: GatewayApp
    let receiver: DemoReceiver
    let loop: CurlMultiLoop
    let traffic: DemoTraffic
    let output: @Sendable (String) -> Void
    let historyRows: Int
    let spikeHour: Date

    public var baseURL: String { "http://\(settings.host == "0.0.0.0" ? "127.0.0.1" : settings.host):\(app.port)" }

    /// Prepares a fresh demo store, seeds it and starts the router.
    /// - Parameter replace: remove an existing store at a path other than the default demo path.
    public static func start(settings: DemoSettings, replace: Bool, now: Date = Date(), logger: Logger,
                             output: @escaping @Sendable (String) -> Void) async throws -> Demo {
        try clearStore(settings, replace: replace, output: output)
        let secret = randomToken()
        let receiver = try DemoReceiver(host: "127.0.0.1", secret: secret)
        do {
            return try await Demo(settings: settings, receiver: receiver, secret: secret, now: now, logger: logger, output: output)
        } catch {
            await receiver.stop()
            throw error
        }
    }

    private init(settings: DemoSettings, receiver: DemoReceiver, secret: String, now: Date, logger: Logger,
                 output: @escaping @Sendable (String) -> Void) async throws {
        self.settings = settings
        self.receiver = receiver
        self.output = output
        let names = DemoSettings.environmentNames
        // Only what the demo sets (and where the dashboard's templates are): a viewer or admin
        // token in the caller's environment must not lock the demo out of its own dashboard.
        var environment = [names.pagerDutyKey: Demo.randomToken(), names.slackURL: receiver.url(DemoReceiver.paths.slack),
                           names.webhookURL: receiver.url(DemoReceiver.paths.webhook), names.webhookSecret: secret]
        environment["FINOPS_PUBLIC_DIR"] = ProcessInfo.processInfo.environment["FINOPS_PUBLIC_DIR"]
        let catalog = DefaultPricing.catalog()
        let config = try ConfigLoader.parse(yaml: settings.yaml(pagerDutyURL: receiver.url(DemoReceiver.paths.pagerDuty)),
                                            file: "demo settings", environment: environment, catalog: catalog)
        try FileManager.default.createDirectory(atPath: settings.dataDirectory, withIntermediateDirectories: true)

        // History: a month of the built-in company's traffic, its planted spike in the last
        // complete hour (the hour the scheduler judges now).
        let end = SpendRollup.Granularity.hour.bucketStart(now)
        var generator = SeedTrafficGenerator(rows: settings.historyRows, days: settings.historyDays, end: end,
                                             seed: settings.seed, catalog: catalog)
        generator.plantedSpike = end.addingTimeInterval(-3_600)...end.addingTimeInterval(-0.001)
        let history = generator
        spikeHour = end.addingTimeInterval(-3_600)
        let store = try await BlockingExecutor.run {
            try TelemetryStoreLocation(databaseURL: nil, sqlitePath: settings.sqlitePath).open(connectNow: true)
        }
        do {
            app = try GatewayApp(config: config, catalog: catalog, environment: environment, logger: logger, store: store)
        } catch {
            throw DemoError(description: "the demo's router did not start: \(error)")
        }
        // Listen first: a busy port is reported before any seeding, and leaves no store behind.
        do {
            try app.start()
        } catch {
            await app.shutdown()
            try? Self.removeStore(settings)
            throw DemoError(description: "cannot listen on \(settings.host):\(settings.port) — is another router "
                            + "(`finops-router serve`, an earlier demo) using it? Pass --port N (0 picks a free port).")
        }
        output("[1/6] History: \(Self.count(settings.historyRows)) calls over \(settings.historyDays) days for seven teams, "
               + "with a spike planted in \(Self.hour(spikeHour))")
        let seeded = ContinuousClock.now
        do {
            try await BlockingExecutor.run {
                let records = history.generate()
                for chunk in stride(from: 0, to: records.count, by: 2_000) {
                    try store.insert(Array(records[chunk..<min(chunk + 2_000, records.count)]))
                }
            }
        } catch {
            await app.shutdown()
            throw DemoError(description: "could not store the demo's history in \(settings.sqlitePath): \(error)")
        }
        historyRows = settings.historyRows
        output("      stored in \(settings.sqlitePath) in \(Self.seconds(seeded.duration(to: .now)))")
        // The seeded month counts against the budgets, as a restarted router's history would.
        await app.restoreBudgetCounters()
        var clientLogger = Logger(label: "finops-demo-client")
        clientLogger.logLevel = .error
        loop = CurlMultiLoop(maxConnections: 64, logger: clientLogger)
        let host = settings.host == "0.0.0.0" ? "127.0.0.1" : settings.host
        traffic = DemoTraffic(baseURL: "http://\(host):\(app.port)", loop: loop, concurrency: settings.concurrency)
    }

    /// Drives the story's traffic, runs the scheduler once, and reads the dashboard's API back.
    public func tellStory() async throws -> DemoSummary {
        var summary = DemoSummary()
        summary.historyRows = historyRows
        summary.spikeHour = spikeHour
        summary.strategies = await compareStrategies()
        await autoRouting(&summary)
        await outage(&summary)
        try await budget(&summary)
        try await schedule(&summary)
        await readDashboard(&summary)
        return summary
    }

    /// Stops the router, the receivers and the client loop; flushes telemetry.
    public func stop() async {
        loop.shutdown()
        await app.shutdown()
        await receiver.stop()
    }

    // MARK: The story

    private func compareStrategies() async -> [DemoSummary.StrategyLine] {
        let prompts = DemoPrompts.comparison
        output("[2/6] Cost-first vs performance-first: the same \(prompts.count) prompts from team search")
        var lines: [DemoSummary.StrategyLine] = []
        for strategy in ["cost-first", "performance-first"] {
            let calls = await traffic.sendAll(prompts.map {
                DemoTraffic.Request(team: "search", useCase: "answer-synthesis", model: "router/\(strategy)", prompt: $0, maxTokens: 300)
            })
            let ok = calls.filter { $0.status == 200 }
            let models = Dictionary(ok.map { ($0.model, 1) }, uniquingKeysWith: +)
            let line = DemoSummary.StrategyLine(strategy: strategy, calls: ok.count, cost: ok.reduce(.zero) { $0 + $1.cost },
                                                models: models, p50Ms: Self.median(ok.map(\.latencyMs)))
            lines.append(line)
            let used = models.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
            output("      \(Self.pad(strategy, 18)) \(Self.pad("\(ok.count)/\(calls.count) ok", 8)) \(Self.pad(Self.usd(line.cost), 10)) "
                   + "p50 \(Self.pad(String(format: "%.0f ms", line.p50Ms), 7)) \(used)")
        }
        if lines.count == 2 {
            let extra = lines[1].cost - lines[0].cost
            let ratio = lines[0].cost.nanos > 0
                ? String(format: " (%.0f× as much)", Double(lines[1].cost.nanos) / Double(lines[0].cost.nanos))
                : " (cost-first chose a free local model)"
            output("      → performance-first cost \(Self.usd(extra)) more for the same prompts\(ratio)")
        }
        return lines
    }

    private func autoRouting(_ summary: inout DemoSummary) async {
        let prompts = DemoPrompts.mixed + DemoPrompts.mixed
        output("[3/6] Auto routing: \(prompts.count) prompts from team support, mostly simple, some hard")
        let calls = await traffic.sendAll(prompts.map {
            DemoTraffic.Request(team: "support", useCase: "reply-draft", model: "router/auto", prompt: $0, maxTokens: 300)
        })
        let ok = calls.filter { $0.status == 200 }
        summary.autoCalls = ok.count
        summary.autoTiers = Dictionary(ok.map { (Self.tier(fromReason: $0.routeReason), 1) }, uniquingKeysWith: +)
        summary.autoCost = ok.reduce(.zero) { $0 + $1.cost }
        summary.autoSavings = ok.reduce(.zero) { $0 + $1.savings }
        let baseline = summary.autoCost + summary.autoSavings
        let tiers = ["small", "medium", "large"].compactMap { t in summary.autoTiers[t].map { "\(t) \($0)" } }.joined(separator: ", ")
        output("      \(ok.count)/\(calls.count) ok; tiers chosen by the complexity classifier: \(tiers)")
        let share = baseline.nanos > 0 ? Double(summary.autoSavings.nanos) / Double(baseline.nanos) : 0
        output("      cost \(Self.usd(summary.autoCost)) vs \(Self.usd(baseline)) on the baseline model: saved "
               + "\(Self.usd(summary.autoSavings)) (\(Self.percent(share)))")
    }

    private func outage(_ summary: inout DemoSummary) async {
        let model = DemoSettings.outageModel
        let prompts = Array(DemoPrompts.comparison.prefix(6)) + Array(DemoPrompts.mixed.prefix(14))
        output("[4/6] Outage: \(DemoSettings.primaryProvider), the primary deployment of \(model), is down (simulated); "
               + "\(prompts.count) calls for \(model) from team sales")
        let calls = await traffic.sendAll(prompts.map {
            DemoTraffic.Request(team: "sales", useCase: "email-draft", model: model, prompt: $0, maxTokens: 200)
        })
        summary.outageCalls = calls.count
        summary.answeredByBackup = calls.filter { $0.status == 200 && $0.provider == DemoSettings.backupProvider }.count
        summary.outageFailures = calls.filter { $0.status != 200 }.count
        let circuit = await traffic.text("/metrics").flatMap { text in
            text.split(separator: "\n").first { $0.hasPrefix("finops_router_circuit_state{") && $0.contains(DemoSettings.primaryProvider) }
        }
        let state = circuit.flatMap { $0.split(separator: " ").last.flatMap { Double($0) } }
            .map { $0 == 2 ? "open" : $0 == 1 ? "half-open" : "closed" } ?? "unknown"
        summary.primaryCircuit = state
        output("      \(calls.count - summary.outageFailures)/\(calls.count) answered, \(summary.answeredByBackup) by "
               + "\(DemoSettings.backupProvider) after failover; the circuit for \(DemoSettings.primaryProvider) is \(state), "
               + "so later calls skip it without waiting")
    }

    private func budget(_ summary: inout DemoSummary) async throws {
        let team = DemoSettings.budgetTeam
        output("[5/6] Budget: team \(team) has $\(settings.growthBudgetUSD) a month (alerts at 50% and 80%, calls refused at 100%); "
               + "performance-first calls until it runs out")
        var crossed = Set<Int>()
        let prompts = DemoPrompts.comparison + DemoPrompts.mixed
        for i in 0..<200 {
            let call = await traffic.send(DemoTraffic.Request(team: team, useCase: "experiments", model: "router/performance-first",
                                                              prompt: prompts[i % prompts.count], maxTokens: 300))
            if call.status == 402 {
                summary.budgetRefusedAt = i + 1
                let status = try await growthStatus()
                output("      call \(i + 1): HTTP 402 \(call.errorType ?? "") at \(Self.percent(status?.utilization ?? 0)) spent — "
                       + "the next call's estimate would pass the limit")
                break
            }
            guard let status = try await growthStatus() else { break }
            for t in status.crossedThresholds where !crossed.contains(t) {
                crossed.insert(t)
                output("      call \(i + 1): \(Self.usd(status.spent)) of \(Self.usd(status.policy.limit)) spent "
                       + "(\(Self.percent(status.utilization))): \(t)% threshold crossed")
            }
        }
        summary.budgetThresholdsCrossed = crossed.sorted()
    }

    private func growthStatus() async throws -> BudgetStatus? {
        try await app.budgetStatus.budgetStatuses(at: Date()).first { $0.policy.scope == .team && $0.subject == DemoSettings.budgetTeam }
    }

    private func schedule(_ summary: inout DemoSummary) async throws {
        output("[6/6] Scheduler: one detection run (judging \(Self.hour(spikeHour)), budgets as of now), "
               + "then delivery by severity: critical → PagerDuty, warning → Slack, info → signed webhook")
        // Live calls reach the store through the telemetry writer: let it catch up first, so
        // the dashboard read below sees every call.
        for _ in 0..<200 where app.telemetryStats.queued > 0 { try await Task.sleep(for: .milliseconds(25)) }
        // The judged hour is the one before `now`: should the story cross an hour boundary, judge
        // as of the spike's next hour still, as the scheduler would have a minute earlier.
        let judgeAt = min(Date(), spikeHour.addingTimeInterval(2 * 3_600 - 1))
        let (run, delivery) = try await app.runSchedulerOnce(now: judgeAt)
        summary.alertsRaised = run.raised
        for alert in run.raised.sorted(by: { $0.severity != $1.severity ? $0.severity > $1.severity : $0.title < $1.title }) {
            output("      raised \(Self.pad(alert.severity.rawValue, 8)) \(Self.pad(alert.labels["alertname"] ?? alert.kind, 22)) "
                   + "\(Self.cut(alert.title, 90))")
        }
        for e in run.errors { output("      warning: \(e)") }
        summary.deliveries = receiver.deliveries.map(\.destination)
        summary.webhookSignaturesValid = receiver.deliveries.allSatisfy { $0.signatureValid ?? true }
        for d in receiver.deliveries {
            let check = d.signatureValid.map { $0 ? " [HMAC signature verified]" : " [BAD SIGNATURE]" } ?? ""
            output("      \(Self.pad(d.destination, 9)) ← \(Self.cut(d.summary, 100))\(check)")
        }
        output("      deliveries: \(delivery.delivered) delivered, \(delivery.retrying) to retry, \(delivery.failed) failed")
    }

    private func readDashboard(_ summary: inout DemoSummary) async {
        if let overview = await traffic.json("/api/v1/overview?range=24h"), let totals = overview["totals"] {
            summary.dashboardRequests = totals["requests"]?.intValue ?? 0
            summary.dashboardFailovers = totals["failovers"]?.intValue ?? 0
            summary.dashboardSavings = totals["savings_usd"].flatMap(Self.money) ?? .zero
            let spend = totals["cost_usd"].flatMap(Self.money) ?? .zero
            let fraction = totals["savings_fraction"]?.doubleValue ?? 0
            output("Dashboard, last 24 hours (from /api/v1/overview): \(Self.count(summary.dashboardRequests)) calls, "
                   + "\(Self.usd(spend)) spent, \(Self.usd(summary.dashboardSavings)) saved vs baseline (\(Self.percent(fraction))), "
                   + "\(summary.dashboardFailovers) failovers")
        } else {
            output("warning: the dashboard's /api/v1/overview did not answer")
        }
        if let drift = await traffic.json("/api/v1/drift?range=24h") {
            summary.dashboardAlerts = drift["alerts"]?.arrayValue?.count ?? 0
            output("Alerts on the dashboard (from /api/v1/drift): \(summary.dashboardAlerts)")
        }
    }

    /// Where to look afterwards.
    public func guide() -> String {
        let url = baseURL
        return """
            Where to look:
              \(url)/                 overview: month-to-date spend, burn rate, forecast, savings, top teams
              \(url)/drift            the alerts just raised, cost per request and latency vs baseline
              \(url)/budgets          the growth team's budget at its limit
              \(url)/providers        \(DemoSettings.primaryProvider)'s errors and the failovers to \(DemoSettings.backupProvider)
              \(url)/strategies       volume, cost and savings by routing strategy
              \(url)/requests         every call, filterable (team, model, provider, status, date)
              curl -s \(url)/metrics | grep -E '^finops_router_(failovers|savings_usd|alerts_sent|budget_utilization)'
              sqlite3 \(settings.sqlitePath) 'SELECT time, severity, kind, team, title FROM alerts ORDER BY id'
              later: finops-router serve --sqlite-path \(settings.sqlitePath)   (the same dashboard over the demo's data)
            """
    }

    // MARK: Helpers

    static func clearStore(_ settings: DemoSettings, replace: Bool, output: @Sendable (String) -> Void) throws {
        let fm = FileManager.default
        guard fm.fileExists(atPath: settings.sqlitePath) else { return }
        guard replace || settings.sqlitePath == DemoSettings().sqlitePath else {
            throw DemoError(description: "\(settings.sqlitePath) exists; the demo starts from an empty store. "
                            + "Pass --replace to delete it, or choose another --sqlite-path.")
        }
        try removeStore(settings)
        output("(an earlier demo's store at \(settings.sqlitePath) was removed: the demo starts fresh)")
    }

    /// Deletes the demo's store, spill folder and admin-state file.
    static func removeStore(_ settings: DemoSettings) throws {
        let fm = FileManager.default
        for file in settings.ownedFiles where fm.fileExists(atPath: file) { try fm.removeItem(atPath: file) }
        if fm.fileExists(atPath: settings.spillDirectory) { try fm.removeItem(atPath: settings.spillDirectory) }
    }

    static func randomToken() -> String {
        var g = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(g.next() as UInt64, radix: 16) }.joined()
    }

    static func tier(fromReason reason: String) -> String {
        // "auto:complexity=3→tier=small" (and cascade/rule reasons name a tier the same way)
        guard let range = reason.range(of: "tier=") else { return "other" }
        return String(reason[range.upperBound...].prefix { $0.isLetter })
    }

    static func money(_ v: JSONValue) -> Money? {
        if let s = v.stringValue { return Money(decimalString: s) }
        return v.doubleValue.map { Money(nanos: Int64(($0 * 1e9).rounded())) }
    }

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let s = values.sorted()
        return s[s.count / 2]
    }

    static func usd(_ m: Money) -> String { DisplayFormat.money(m) }

    static func percent(_ f: Double) -> String { DisplayFormat.percent(f) }

    static func count(_ n: Int) -> String { DisplayFormat.grouped(n) }

    static func hour(_ d: Date) -> String {
        let iso = CivilDate.iso8601(d)
        let end = CivilDate.iso8601(d.addingTimeInterval(3_600))
        return "\(iso.prefix(10)) \(iso.dropFirst(11).prefix(5))-\(end.dropFirst(11).prefix(5)) UTC"
    }

    static func seconds(_ d: Duration) -> String {
        String(format: "%.1f s", Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
    }

    static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }

    static func cut(_ s: String, _ n: Int) -> String { s.count <= n ? s : String(s.prefix(n - 1)) + "…" }
}
