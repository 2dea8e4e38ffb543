import FinOpsCore
import Foundation

/// What `finops-router demo` runs on: the embedded defaults (the simulator serves every catalog
/// model, SQLite, in-memory state) plus what the story needs — a second simulated region for
/// `gpt-4o` whose primary is down, one team budget, and alert destinations on loopback.
public struct DemoSettings: Sendable {
    public var host = "127.0.0.1"
    /// 0 picks a free port.
    public var port = 8090
    public var sqlitePath = "./finops-data/demo.sqlite"
    /// History seeded before the live traffic (28 days: the hour-of-week detector needs weeks).
    public var historyRows = 20_000
    public var historyDays = 28
    public var seed: UInt64 = 7
    /// Calls in flight at once while driving traffic.
    public var concurrency = 8
    /// The growth team's monthly budget; the demo spends until it crosses 80%.
    public var growthBudgetUSD = "0.25"
    /// The organisation's monthly budget: the Overview's forecast-vs-budget gauge.
    public var orgBudgetUSD = "150"

    public init() {}

    /// Everything the demo writes, next to the SQLite file.
    public var dataDirectory: String { (sqlitePath as NSString).deletingLastPathComponent.isEmpty ? "." : (sqlitePath as NSString).deletingLastPathComponent }
    public var spillDirectory: String { dataDirectory + "/demo-spill" }
    public var adminStatePath: String { dataDirectory + "/demo-admin-state.json" }
    /// Files a fresh demo removes first.
    public var ownedFiles: [String] { [sqlitePath, sqlitePath + "-wal", sqlitePath + "-shm", adminStatePath] }

    /// Model whose primary deployment is down for the whole demo.
    public static let outageModel = "gpt-4o"
    public static let primaryProvider = "sim-us-east"
    public static let backupProvider = "sim-eu-west"
    public static let budgetTeam = "growth"

    /// Names of the environment variables the notification destinations read (set by the demo
    /// for its own receiver; secrets only ever come from the environment).
    public static let environmentNames = (pagerDutyKey: "FINOPS_DEMO_PAGERDUTY_KEY", slackURL: "FINOPS_DEMO_SLACK_URL",
                                          webhookURL: "FINOPS_DEMO_WEBHOOK_URL", webhookSecret: "FINOPS_DEMO_WEBHOOK_SECRET")

    /// The demo's configuration, in the same YAML `serve --config` reads (`demo --print-config`).
    public func yaml(pagerDutyURL: String) -> String {
        let sim = "{latency_median_ms: 35, latency_p95_ms: 140, tokens_per_second: 4000}"
        let env = Self.environmentNames
        return """
            # finops-router demo: embedded defaults + two simulated regions for \(Self.outageModel) (the primary
            # is down), a budget for team \(Self.budgetTeam), and alert destinations on loopback.
            server:
              host: \(host)
              port: \(port)
            telemetry:
              sqlite_path: \(sqlitePath)
              spill_dir: \(spillDirectory)
              flush_interval_ms: 50
            state:
              records_path: \(adminStatePath)
            attribution:
              org: acme                         # the seeded history's organisation
            providers:
              - name: simulator                 # the embedded default: every catalog model
                kind: simulator
                simulator: \(sim)
              - name: \(Self.primaryProvider)
                kind: simulator
                models: [\(Self.outageModel)]
                simulator:
                  latency_median_ms: 35
                  latency_p95_ms: 140
                  tokens_per_second: 4000
                  outages: [{start_after_seconds: 0, duration_seconds: 31536000}]
              - name: \(Self.backupProvider)
                kind: simulator
                models: [\(Self.outageModel)]
                simulator: \(sim)
            failover:
              retry: {max_attempts_per_provider: 1, base_delay_ms: 20, total_deadline_ms: 10000}
              circuit_breaker: {failure_threshold: 3, open_seconds: 60}
            budgets:
              default_output_tokens: 512
              limits:
                - {scope: team, subject: \(Self.budgetTeam), period: monthly, limit_usd: \(growthBudgetUSD), thresholds: [50, 80, 100], action: block}
                - {scope: org, subject: acme, period: monthly, limit_usd: \(orgBudgetUSD), thresholds: [80, 100], action: alert-only}
            metrics:
              teams: [support, search, sales, data-science, marketing, legal, platform, \(Self.budgetTeam)]
            scheduler:
              enabled: true
              interval_seconds: 300
              min_requests_per_hour_per_call: 20
              severity: {spend_spike: critical, cost_per_request_spike: warning, request_spike: info, latency_spike: info}
            notifications:
              timeout_ms: 5000
              max_attempts: 3
              retry_base_seconds: 5
              destinations:
                - {name: oncall, kind: pagerduty, url: "\(pagerDutyURL)", routing_key_env: \(env.pagerDutyKey)}
                - {name: finops-chat, kind: slack, url_env: \(env.slackURL)}
                - {name: audit, kind: webhook, url_env: \(env.webhookURL), secret_env: \(env.webhookSecret)}
              routes:
                critical: [oncall]
                warning: [finops-chat]
                info: [audit]

            """
    }
}
