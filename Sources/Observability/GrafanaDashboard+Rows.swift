import FinOpsCore

/// The dashboard's rows. Queries name metrics only through `MetricCatalog` and recording rules
/// only through `RecordingRules`, so a renamed metric cannot leave a dead panel behind.
extension GrafanaDashboard {
    typealias M = MetricCatalog
    typealias R = RecordingRules
    typealias P = GrafanaPanel
    typealias Q = GrafanaPanel.Query

    static let team = #"team=~"$team""#

    public static func rows() -> [Row] {
        [spend(), budgets(), savings(), traffic(), latency(), cache(), circuits(), telemetry()]
    }

    static func spend() -> Row {
        Row(title: "Spend", panels: [
            P("Spend (24h)", .stat, unit: "currencyUSD", width: 6, height: 5, description: "Provider cost of the selected teams over the last 24 hours.",
              [Q("sum(increase(\(M.cost.name){\(team)}[1d]))", legend: "spend")]),
            P("Savings (24h)", .stat, unit: "currencyUSD", width: 6, height: 5, description: "Baseline cost minus actual cost over the last 24 hours.",
              [Q("sum(increase(\(M.savings.name){\(team)}[1d]))", legend: "savings")]),
            P("Requests (24h)", .stat, unit: "short", width: 6, height: 5, description: "Requests handled over the last 24 hours.",
              [Q("sum(increase(\(M.requests.name){\(team)}[1d]))", legend: "requests")]),
            P("Cost per request (1h)", .stat, unit: "currencyUSD", width: 6, height: 5, description: "Average provider cost of one request over the last hour.",
              [Q("sum(rate(\(M.cost.name){\(team)}[1h])) / sum(rate(\(M.requests.name){\(team)}[1h]))", legend: "per request")]),
            P("Spend per hour by team", unit: "currencyUSD", width: 12, description: "Spend rate, in dollars per hour.",
              [Q("sum by (team) (rate(\(M.cost.name){\(team)}[5m])) * 3600", legend: "{{team}}")]),
            P("Spend per hour by model", unit: "currencyUSD", width: 12, description: "Spend rate per model, in dollars per hour.",
              [Q("sum by (provider, model) (rate(\(M.cost.name){\(team)}[5m])) * 3600", legend: "{{provider}}:{{model}}")]),
            P("Last hour vs same hour last week", unit: "currencyUSD", width: 12,
              description: "Spend in the last hour per team, and a week earlier (what FinOpsRouterSpendSpike compares).",
              [Q("\(R.teamSpendPerHour){\(team)}", legend: "{{team}}"),
               Q("\(R.teamSpendPerHour){\(team)} offset 1w", legend: "{{team}} last week")]),
            P("Tokens per second", unit: "short", width: 12, description: "Tokens by type (input, cached input, output).",
              [Q("sum by (type) (rate(\(M.tokens.name){\(team)}[5m]))", legend: "{{type}}")]),
        ])
    }

    static func budgets() -> Row {
        Row(title: "Budgets and burn", panels: [
            P("Budget utilization", .bargauge, unit: "percentunit", width: 8, description: "Spend in the current window over the limit, per budget.",
              [Q("max by (scope, subject, period) (\(M.budgetUtilization.name))", legend: "{{scope}}/{{subject}} ({{period}})")]),
            P("Burn rate, 1h", unit: "short", width: 8,
              description: "Spend rate over the rate that uses exactly the budget (1 = on track). Pages at 14.4 over 1h and 5m.",
              [Q("\(R.burnRate(.hours(1)))", legend: "{{scope}}/{{subject}} ({{period}})")]),
            P("Burn rate, 6h", unit: "short", width: 8, description: "As above over 6 hours. Pages at 6 over 6h and 30m.",
              [Q("\(R.burnRate(.hours(6)))", legend: "{{scope}}/{{subject}} ({{period}})")]),
            P("Budget limits", unit: "currencyUSD", width: 8, description: "Limit per window of every budget in force.",
              [Q("max by (scope, subject, period) (\(M.budgetLimit.name))", legend: "{{scope}}/{{subject}} ({{period}})")]),
            P("Requests at a budget limit", unit: "reqps", width: 8, description: "Requests blocked, downgraded or let through at 100%.",
              [Q("sum by (scope, action) (rate(\(M.budgetActions.name)[5m]))", legend: "{{scope}} {{action}}")]),
            P("Rate-limited and guardrail refusals", unit: "reqps", width: 8, description: "Requests refused by rate limits, and guardrail findings.",
              [Q("sum by (scope, kind) (rate(\(M.rateLimited.name)[5m]))", legend: "rate limit {{scope}} {{kind}}"),
               Q("sum by (detector, action) (rate(\(M.guardrailViolations.name)[5m]))", legend: "guardrail {{detector}} {{action}}")]),
        ])
    }

    static func savings() -> Row {
        Row(title: "Savings", panels: [
            P("Savings per hour by team", unit: "currencyUSD", width: 12, description: "What routing and the cache saved against the baseline model.",
              [Q("sum by (team) (rate(\(M.savings.name){\(team)}[5m])) * 3600", legend: "{{team}}")]),
            P("Actual vs baseline cost per hour", unit: "currencyUSD", width: 12, description: "Actual cost, and the same calls on their baseline model.",
              [Q("sum(rate(\(M.cost.name){\(team)}[5m])) * 3600", legend: "actual"),
               Q("sum(rate(\(M.baselineCost.name){\(team)}[5m])) * 3600", legend: "baseline")]),
        ])
    }

    static func traffic() -> Row {
        Row(title: "Traffic and errors", panels: [
            P("Requests per second by status", unit: "reqps", width: 8, description: "ok, failover, cache_hit, error.",
              [Q("sum by (status) (rate(\(M.requests.name){\(team)}[5m]))", legend: "{{status}}")]),
            P("5xx ratio", unit: "percentunit", width: 8, description: "Share of requests answered 5xx (FinOpsRouterErrorRatioHigh).",
              [Q("(sum(rate(\(M.requests.name){code=\"5xx\"}[5m])) or vector(0)) / sum(rate(\(M.requests.name)[5m]))", legend: "5xx")]),
            P("Rejected before routing", unit: "reqps", width: 8, description: "Bad input, auth, unknown models, oversized bodies.",
              [Q("sum by (reason) (rate(\(M.rejected.name)[5m]))", legend: "{{reason}}")]),
            P("Provider attempts by result", unit: "reqps", width: 12, description: "Every attempt on every deployment, retries included.",
              [Q("sum by (provider, result) (rate(\(M.upstreamAttempts.name)[5m]))", legend: "{{provider}} {{result}}")]),
            P("Failovers and retries", unit: "reqps", width: 12, description: "Calls moved to the next deployment, and retries on the same one.",
              [Q("sum by (provider, kind) (rate(\(M.failovers.name)[5m]))", legend: "failover from {{provider}} ({{kind}})"),
               Q("sum by (provider) (rate(\(M.retries.name)[5m]))", legend: "retry {{provider}}")]),
        ])
    }

    static func latency() -> Row {
        func quantile(_ q: String, _ spec: MetricSpec, by: String) -> String {
            "histogram_quantile(\(q), sum by (le, \(by)) (rate(\(spec.bucket)[5m])))"
        }
        return Row(title: "Latency", panels: [
            P("Request duration p50 / p95", unit: "s", width: 8, description: "Received to last byte, streams included.",
              [Q(quantile("0.5", M.requestDuration, by: "provider"), legend: "p50 {{provider}}"),
               Q(quantile("0.95", M.requestDuration, by: "provider"), legend: "p95 {{provider}}")]),
            P("Upstream duration p95", unit: "s", width: 8, description: "Time in provider calls, per provider.",
              [Q(quantile("0.95", M.upstreamDuration, by: "provider"), legend: "{{provider}}")]),
            P("Time to first token p95", unit: "s", width: 8, description: "Streamed requests: time to the first content byte.",
              [Q(quantile("0.95", M.timeToFirstToken, by: "provider"), legend: "{{provider}}")]),
        ])
    }

    static func cache() -> Row {
        Row(title: "Cache", panels: [
            P("Cache lookups by result", unit: "reqps", width: 8, description: "exact, semantic, miss, bypass.",
              [Q("sum by (result) (rate(\(M.cacheLookups.name)[5m]))", legend: "{{result}}")]),
            P("Cache hit ratio", unit: "percentunit", width: 8, description: "Hits over lookups (bypasses excluded), 1h window.",
              [Q("\(R.cacheHitRatio)", legend: "hit ratio"), Q("\(R.cacheHitRatio) offset 1d", legend: "yesterday")]),
            P("Cost avoided by the cache per hour", unit: "currencyUSD", width: 8, description: "What cache hits would have cost.",
              [Q("sum(rate(\(M.cacheCostAvoided.name)[5m])) * 3600", legend: "avoided")]),
        ])
    }

    static func circuits() -> Row {
        Row(title: "Circuits and spend checks", panels: [
            P("Circuit state", .stateTimeline, unit: "short", width: 12, description: "Per provider:model: closed, half-open, open.",
              [Q("max by (provider, model) (\(M.circuitState.name))", legend: "{{provider}}:{{model}}")]),
            P("Budget and rate-limit check p95", unit: "s", width: 6, description: "Time spent in the spend check, per state store.",
              [Q("histogram_quantile(0.95, sum by (le, store) (rate(\(M.spendCheckDuration.bucket)[5m])))", legend: "{{store}}")]),
            P("State store failures", unit: "reqps", width: 6, description: "Redis calls that failed, and how the request was handled.",
              [Q("sum by (operation, outcome) (rate(\(M.stateStoreFailures.name)[5m]))", legend: "{{operation}} {{outcome}}")]),
        ])
    }

    static func telemetry() -> Row {
        Row(title: "Telemetry and alerting", panels: [
            P("Telemetry queue", unit: "short", width: 8, description: "Rows waiting for the writer, against the queue capacity.",
              [Q("max by (instance) (\(M.telemetryQueueDepth.name))", legend: "queued {{instance}}"),
               Q("max(\(M.telemetryQueueCapacity.name))", legend: "capacity")]),
            P("Telemetry rows per second", unit: "short", width: 8, description: "Written, spilled, replayed and dropped rows.",
              [Q("sum(rate(\(M.telemetryWritten.name)[5m]))", legend: "written"),
               Q("sum(rate(\(M.telemetrySpilled.name)[5m]))", legend: "spilled"),
               Q("sum(rate(\(M.telemetryReplayed.name)[5m]))", legend: "replayed"),
               Q("sum(rate(\(M.telemetryDropped.name)[5m]))", legend: "dropped")]),
            P("Spill file pending rows", unit: "short", width: 8, description: "Rows waiting in the spill file for the database.",
              [Q("max by (instance) (\(M.telemetrySpillPending.name))", legend: "{{instance}}")]),
            P("Alert notifications", unit: "short", width: 8, description: "Scheduler notifications sent and failed per destination.",
              [Q("sum by (destination) (rate(\(M.alertsSent.name)[15m]))", legend: "sent {{destination}}"),
               Q("sum by (destination) (rate(\(M.alertsFailed.name)[15m]))", legend: "failed {{destination}}")]),
            P("Scheduler alerts firing", unit: "short", width: 8, description: "Alerts the scheduler holds open, per severity.",
              [Q("max by (severity) (\(M.alertsFiring.name))", legend: "{{severity}}")]),
            P("Scheduler run p95", unit: "s", width: 8, description: "Duration of scheduler jobs.",
              [Q("histogram_quantile(0.95, sum by (le, job) (rate(\(M.schedulerRunDuration.bucket)[30m])))", legend: "{{job}}")]),
        ])
    }
}
