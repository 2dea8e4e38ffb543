/// Every metric family of `/metrics`, once. `RouterMetrics` registers series only from these
/// specs; the alert-rule and Grafana generators name metrics only through them; a test checks
/// that a real scrape holds nothing else. Names are `finops_router_*`, counters end in `_total`,
/// units are base units (seconds, usd, ratio). Labels are bounded (ADR 0020): `team`, `model`
/// and `provider` values come from the config, anything else is written as `other`.
public enum MetricCatalog {
    // MARK: Requests, tokens, money
    public static let requests = MetricSpec("finops_router_requests_total", .counter, "Chat and embedding requests handled",
                                            labels: ["endpoint", "team", "provider", "model", "status", "code"])
    public static let rejected = MetricSpec("finops_router_rejected_requests_total", .counter, "Requests refused before any provider call",
                                            labels: ["reason", "code"])
    public static let tokens = MetricSpec("finops_router_tokens_total", .counter, "Tokens processed",
                                          labels: ["team", "provider", "model", "type"])
    public static let cost = MetricSpec("finops_router_cost_usd_total", .counter, "Spend in US dollars",
                                        labels: ["team", "provider", "model"])
    public static let baselineCost = MetricSpec("finops_router_baseline_cost_usd_total", .counter,
                                                "What the calls would have cost on their baseline model, in US dollars",
                                                labels: ["team", "provider", "model"])
    public static let savings = MetricSpec("finops_router_savings_usd_total", .counter,
                                           "Baseline cost minus actual cost, for calls that cost less than their baseline, in US dollars",
                                           labels: ["team", "provider", "model"])
    public static let inFlight = MetricSpec("finops_router_requests_in_flight", .gauge, "Requests being processed")

    // MARK: Latency
    public static let requestDuration = MetricSpec("finops_router_request_duration_seconds", .histogram,
                                                   "Time from request received to response complete", labels: ["provider", "model"])
    public static let upstreamDuration = MetricSpec("finops_router_upstream_duration_seconds", .histogram,
                                                    "Time spent in provider calls", labels: ["provider"])
    public static let timeToFirstToken = MetricSpec("finops_router_time_to_first_token_seconds", .histogram,
                                                    "Streamed requests: time to the first content byte", labels: ["provider", "model"])

    // MARK: Providers, failover, circuits
    public static let upstreamAttempts = MetricSpec("finops_router_upstream_attempts_total", .counter,
                                                    "Provider call attempts by result (ok, an error kind, or circuit_open when skipped)",
                                                    labels: ["provider", "model", "result"])
    public static let upstreamErrors = MetricSpec("finops_router_upstream_errors_total", .counter,
                                                  "Requests whose final provider call failed, by error kind", labels: ["provider", "kind"])
    public static let upstreamActive = MetricSpec("finops_router_upstream_active_transfers", .gauge, "Upstream HTTP transfers in progress")
    public static let failovers = MetricSpec("finops_router_failovers_total", .counter,
                                             "Calls moved to the next deployment in the failover chain", labels: ["provider", "model", "kind"])
    public static let retries = MetricSpec("finops_router_retries_total", .counter, "Retries of a provider call after backoff",
                                           labels: ["provider"])
    public static let circuitState = MetricSpec("finops_router_circuit_state", .gauge,
                                                "Circuit breaker per provider and model: 0 closed, 1 half-open, 2 open", labels: ["provider", "model"])

    // MARK: Spend controls
    public static let budgetUtilization = MetricSpec("finops_router_budget_utilization_ratio", .gauge,
                                                     "Spend in the current window divided by the budget limit", labels: ["scope", "subject", "period"])
    public static let budgetLimit = MetricSpec("finops_router_budget_limit_usd", .gauge, "Budget limit in US dollars per window",
                                               labels: ["scope", "subject", "period"])
    public static let budgetThresholds = MetricSpec("finops_router_budget_threshold_crossings_total", .counter,
                                                    "Budget alert thresholds crossed", labels: ["scope", "threshold"])
    public static let budgetActions = MetricSpec("finops_router_budget_actions_total", .counter,
                                                 "Requests that reached a budget limit, by action taken", labels: ["scope", "action"])
    public static let rateLimited = MetricSpec("finops_router_rate_limited_total", .counter, "Requests refused by a rate limit",
                                               labels: ["scope", "kind"])
    public static let guardrailViolations = MetricSpec("finops_router_guardrail_violations_total", .counter,
                                                       "Guardrail violations by detector and action", labels: ["detector", "action"])
    public static let stateStoreFailures = MetricSpec("finops_router_state_store_failures_total", .counter,
                                                      "State store (Redis) calls that failed, and how the request was handled",
                                                      labels: ["operation", "outcome"])
    public static let cacheLookups = MetricSpec("finops_router_cache_lookups_total", .counter, "Response cache lookups by result",
                                                labels: ["result"])
    public static let cacheCostAvoided = MetricSpec("finops_router_cache_cost_avoided_usd_total", .counter,
                                                    "What cache hits would have cost on the provider, in US dollars")
    public static let spendCheckDuration = MetricSpec("finops_router_spend_check_duration_seconds", .histogram,
                                                      "Time spent checking budgets and rate limits", labels: ["store"])

    // MARK: Telemetry pipeline
    public static let telemetryQueueDepth = MetricSpec("finops_router_telemetry_queue_depth", .gauge, "Telemetry rows waiting for the writer")
    public static let telemetryQueueCapacity = MetricSpec("finops_router_telemetry_queue_capacity", .gauge,
                                                          "Telemetry rows the queue holds before rows are dropped")
    public static let telemetrySpillPending = MetricSpec("finops_router_telemetry_spill_pending_rows", .gauge,
                                                         "Telemetry rows in the spill file waiting to be replayed")
    public static let telemetryEnqueued = MetricSpec("finops_router_telemetry_rows_enqueued_total", .counter, "Telemetry rows enqueued")
    public static let telemetryWritten = MetricSpec("finops_router_telemetry_rows_written_total", .counter, "Telemetry rows written")
    public static let telemetryDropped = MetricSpec("finops_router_telemetry_rows_dropped_total", .counter,
                                                    "Telemetry rows dropped (queue full and spill file unavailable)")
    public static let telemetrySpilled = MetricSpec("finops_router_telemetry_rows_spilled_total", .counter, "Telemetry rows spilled")
    public static let telemetryReplayed = MetricSpec("finops_router_telemetry_rows_replayed_total", .counter, "Telemetry rows replayed")
    public static let telemetryDuplicates = MetricSpec("finops_router_telemetry_rows_duplicate_total", .counter, "Telemetry rows duplicate")
    public static let telemetryWriteErrors = MetricSpec("finops_router_telemetry_write_errors_total", .counter,
                                                        "Failed telemetry batch writes (retried)")
    public static let telemetrySpillErrors = MetricSpec("finops_router_telemetry_spill_errors_total", .counter,
                                                        "Failed spill file appends (disk full?)")
    public static let telemetrySpillCorrupt = MetricSpec("finops_router_telemetry_spill_corrupt_records_total", .counter,
                                                         "Corrupt spill records skipped")

    // MARK: Scheduler and alert delivery
    public static let alertsSent = MetricSpec("finops_router_alerts_sent_total", .counter, "Alert notifications delivered",
                                              labels: ["destination", "severity"])
    public static let alertsFailed = MetricSpec("finops_router_alerts_failed_total", .counter,
                                                "Alert notification attempts that failed", labels: ["destination", "severity"])
    public static let alertsFiring = MetricSpec("finops_router_alerts_firing", .gauge, "Scheduler alerts currently firing",
                                                labels: ["severity"])
    public static let alertsRaised = MetricSpec("finops_router_alerts_raised_total", .counter,
                                                "Alerts raised by the scheduler (cooldown-suppressed ones included)", labels: ["severity"])
    public static let alertsResolved = MetricSpec("finops_router_alerts_resolved_total", .counter,
                                                  "Alerts the scheduler resolved", labels: ["severity"])
    public static let schedulerRunDuration = MetricSpec("finops_router_scheduler_run_duration_seconds", .histogram,
                                                        "Duration of one scheduler job run", labels: ["job"])

    /// Every family, in the order of the sections above.
    public static let all: [MetricSpec] = [
        requests, rejected, tokens, cost, baselineCost, savings, inFlight,
        requestDuration, upstreamDuration, timeToFirstToken,
        upstreamAttempts, upstreamErrors, upstreamActive, failovers, retries, circuitState,
        budgetUtilization, budgetLimit, budgetThresholds, budgetActions, rateLimited, guardrailViolations,
        stateStoreFailures, cacheLookups, cacheCostAvoided, spendCheckDuration,
        telemetryQueueDepth, telemetryQueueCapacity, telemetrySpillPending, telemetryEnqueued, telemetryWritten,
        telemetryDropped, telemetrySpilled, telemetryReplayed, telemetryDuplicates, telemetryWriteErrors,
        telemetrySpillErrors, telemetrySpillCorrupt,
        alertsSent, alertsFailed, alertsFiring, alertsRaised, alertsResolved, schedulerRunDuration,
    ]

    /// The family a series name belongs to (`..._bucket` → its histogram).
    public static func family(ofSeries series: String) -> MetricSpec? {
        all.first { $0.seriesNames.contains(series) }
    }
}
