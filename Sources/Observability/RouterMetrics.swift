import FinOpsCore
import Prometheus
import Synchronization

/// The router's Prometheus metrics. Label values are bounded: providers and models come from
/// the configuration (unknown models are rejected before anything is counted), error kinds and
/// status classes from fixed enums.
public final class RouterMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()

    private let latencyBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120]
    public let inFlight: Gauge
    private let telemetryQueueDepth: Gauge
    private let telemetrySpillPending: Gauge
    private let upstreamActive: Gauge
    private let lastTelemetry = Mutex(TelemetryCounts())
    /// Handles already registered, by name and label values: the registry validates names and
    /// labels on every lookup, which is too slow for the request path.
    private let counters = Mutex<[String: Counter]>([:])
    private let histograms = Mutex<[String: ValueHistogram]>([:])
    private let gauges = Mutex<[String: Gauge]>([:])

    public struct TelemetryCounts: Sendable, Equatable {
        public var enqueued = 0, written = 0, dropped = 0, writeErrors = 0, batches = 0
        public var spilled = 0, replayed = 0, duplicates = 0, spillCorruptRecords = 0, spillErrors = 0
        public init(enqueued: Int = 0, written: Int = 0, dropped: Int = 0, writeErrors: Int = 0, batches: Int = 0,
                    spilled: Int = 0, replayed: Int = 0, duplicates: Int = 0, spillCorruptRecords: Int = 0,
                    spillErrors: Int = 0) {
            self.enqueued = enqueued; self.written = written; self.dropped = dropped
            self.writeErrors = writeErrors; self.batches = batches
            self.spilled = spilled; self.replayed = replayed; self.duplicates = duplicates
            self.spillCorruptRecords = spillCorruptRecords; self.spillErrors = spillErrors
        }
    }

    public init() {
        inFlight = registry.makeGauge(descriptor: MetricNameDescriptor(metricName: "finops_router_requests_in_flight", unitName: "", helpText: "Requests being processed"))
        telemetryQueueDepth = registry.makeGauge(descriptor: MetricNameDescriptor(metricName: "finops_router_telemetry_queue_depth", unitName: "", helpText: "Telemetry rows waiting for the writer"))
        upstreamActive = registry.makeGauge(descriptor: MetricNameDescriptor(metricName: "finops_router_upstream_active_transfers", unitName: "", helpText: "Upstream HTTP transfers in progress"))
        // Pre-create the series SRE alerts on, so they exist at 0 before the first event.
        telemetrySpillPending = registry.makeGauge(descriptor: MetricNameDescriptor(metricName: "finops_router_telemetry_spill_pending_rows", unitName: "", helpText: "Telemetry rows in the spill file waiting to be replayed"))
        for name in ["dropped", "written", "enqueued", "spilled", "replayed", "duplicate"] {
            _ = counter(name: "finops_router_telemetry_rows_\(name)_total", labels: [],
                                     help: "Telemetry rows \(name)")
        }
        _ = counter(name: "finops_router_telemetry_write_errors_total", labels: [], help: "Failed telemetry batch writes (retried)")
        _ = counter(name: "finops_router_telemetry_spill_errors_total", labels: [], help: "Failed spill file appends (disk full?)")
        _ = counter(name: "finops_router_telemetry_spill_corrupt_records_total", labels: [], help: "Corrupt spill records skipped")
    }

    /// One finished chat call.
    public func recordRequest(provider: String, model: String, status: RequestStatus, httpStatus: Int,
                              usage: TokenUsage?, cost: Money, latencySeconds: Double, ttftSeconds: Double?,
                              endpoint: String) {
        counter(name: "finops_router_requests_total",
                             labels: [("endpoint", endpoint), ("provider", provider), ("model", model),
                                      ("status", status.rawValue), ("code", Self.statusClass(httpStatus))],
                             help: "Chat requests handled").increment()
        histogram(name: "finops_router_request_duration_seconds",
                                    labels: [("provider", provider), ("model", model)],
                                    buckets: latencyBuckets, help: "Time from request received to response complete").record(latencySeconds)
        if let ttftSeconds {
            histogram(name: "finops_router_time_to_first_token_seconds",
                                        labels: [("provider", provider), ("model", model)],
                                        buckets: latencyBuckets, help: "Streamed requests: time to the first content byte").record(ttftSeconds)
        }
        if let usage {
            let tokens = counter(name: "finops_router_tokens_total",
                                              labels: [("provider", provider), ("model", model), ("type", "input")],
                                              help: "Tokens processed")
            tokens.increment(by: Int64(usage.inputTokens - usage.cachedInputTokens))
            counter(name: "finops_router_tokens_total",
                                 labels: [("provider", provider), ("model", model), ("type", "cached_input")],
                                 help: "Tokens processed").increment(by: Int64(usage.cachedInputTokens))
            counter(name: "finops_router_tokens_total",
                                 labels: [("provider", provider), ("model", model), ("type", "output")],
                                 help: "Tokens processed").increment(by: Int64(usage.outputTokens))
        }
        if cost.nanos != 0 {
            counter(name: "finops_router_cost_usd_total",
                                 labels: [("provider", provider), ("model", model)],
                                 help: "Spend in US dollars").increment(by: cost.usd)
        }
    }

    /// A request rejected before routing (bad JSON, unknown model, oversized body...).
    public func recordRejected(reason: String, httpStatus: Int) {
        counter(name: "finops_router_rejected_requests_total",
                             labels: [("reason", reason), ("code", String(httpStatus))],
                             help: "Requests refused before any provider call").increment()
    }

    public func recordUpstream(provider: String, seconds: Double, errorKind: String?) {
        histogram(name: "finops_router_upstream_duration_seconds", labels: [("provider", provider)],
                                    buckets: latencyBuckets, help: "Time spent in provider calls").record(seconds)
        if let errorKind {
            counter(name: "finops_router_upstream_errors_total",
                                 labels: [("provider", provider), ("kind", errorKind)],
                                 help: "Failed provider calls by error kind").increment()
        }
    }

    /// 0 closed, 1 half-open, 2 open.
    public func setCircuitState(provider: String, model: String, _ value: Double) {
        let key = Self.key("finops_router_circuit_state", [("provider", provider), ("model", model)])
        let gauge = gauges.withLock { g -> Gauge in
            if let existing = g[key] { return existing }
            let created = registry.makeGauge(descriptor: MetricNameDescriptor(
                metricName: "finops_router_circuit_state", unitName: "",
                helpText: "Circuit breaker per provider and model: 0 closed, 1 half-open, 2 open"),
                labels: [("provider", provider), ("model", model)])
            g[key] = created
            return created
        }
        gauge.set(value)
    }

    /// A call that failed on one deployment and moved on to the next.
    public func recordFailover(fromProvider: String, model: String, errorKind: String) {
        counter(name: "finops_router_failovers_total",
                labels: [("provider", fromProvider), ("model", model), ("kind", errorKind)],
                help: "Calls moved to the next deployment in the failover chain").increment()
    }

    public func recordRetry(provider: String) {
        counter(name: "finops_router_retries_total", labels: [("provider", provider)],
                help: "Retries of a provider call after backoff").increment()
    }

    /// Brings the telemetry counters up to date; called at scrape time.
    public func updateTelemetry(_ now: TelemetryCounts, queueDepth: Int, upstreamActive active: Int, spillPendingRows: Int = 0) {
        telemetryQueueDepth.set(Double(queueDepth))
        telemetrySpillPending.set(Double(spillPendingRows))
        upstreamActive.set(Double(active))
        let last = lastTelemetry.withLock { last -> TelemetryCounts in
            defer { last = now }
            return last
        }
        func bump(_ name: String, _ help: String, _ delta: Int) {
            if delta > 0 { counter(name: name, labels: [], help: help).increment(by: Int64(delta)) }
        }
        bump("finops_router_telemetry_rows_enqueued_total", "Telemetry rows enqueued", now.enqueued - last.enqueued)
        bump("finops_router_telemetry_rows_written_total", "Telemetry rows written", now.written - last.written)
        bump("finops_router_telemetry_rows_dropped_total", "Telemetry rows dropped", now.dropped - last.dropped)
        bump("finops_router_telemetry_write_errors_total", "Failed telemetry batch writes (retried)", now.writeErrors - last.writeErrors)
        bump("finops_router_telemetry_rows_spilled_total", "Telemetry rows spilled", now.spilled - last.spilled)
        bump("finops_router_telemetry_rows_replayed_total", "Telemetry rows replayed", now.replayed - last.replayed)
        bump("finops_router_telemetry_rows_duplicate_total", "Telemetry rows duplicate", now.duplicates - last.duplicates)
        bump("finops_router_telemetry_spill_errors_total", "Failed spill file appends (disk full?)", now.spillErrors - last.spillErrors)
        bump("finops_router_telemetry_spill_corrupt_records_total", "Corrupt spill records skipped",
             now.spillCorruptRecords - last.spillCorruptRecords)
    }

    func counter(name: String, labels: [(String, String)], help: String) -> Counter {
        let key = Self.key(name, labels)
        if let c = counters.withLock({ $0[key] }) { return c }
        let c = registry.makeCounter(descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: help), labels: labels)
        counters.withLock { $0[key] = c }
        return c
    }

    func histogram(name: String, labels: [(String, String)], buckets: [Double], help: String) -> ValueHistogram {
        let key = Self.key(name, labels)
        if let h = histograms.withLock({ $0[key] }) { return h }
        let h = registry.makeValueHistogram(descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: help), labels: labels, buckets: buckets)
        histograms.withLock { $0[key] = h }
        return h
    }

    private static func key(_ name: String, _ labels: [(String, String)]) -> String {
        var k = name
        for (_, v) in labels { k += "\u{1F}" + v }
        return k
    }

    /// Prometheus text exposition format 0.0.4.
    public func exposition() -> [UInt8] { registry.emitToBuffer() }

    static func statusClass(_ code: Int) -> String { "\(code / 100)xx" }
}
