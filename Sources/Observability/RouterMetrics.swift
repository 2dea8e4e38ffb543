import FinOpsCore
import Prometheus
import Synchronization

/// The router's Prometheus metrics, registered only from `MetricCatalog` specs. Label values
/// are bounded: teams, models and providers pass through the `LabelVocabulary` (config values,
/// else `other`); error kinds, statuses and status classes come from fixed enums.
public final class RouterMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    public let labels: LabelVocabulary

    static let latencyBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120]
    public let inFlight: Gauge
    private let telemetryQueueDepth: Gauge
    private let telemetrySpillPending: Gauge
    private let upstreamActive: Gauge
    private let lastTelemetry = Mutex(TelemetryCounts())
    /// Handles already registered, by name and label values: the registry validates names and
    /// labels on every lookup, which is too slow for the request path.
    let counters = Mutex<[String: Counter]>([:])
    let histograms = Mutex<[String: ValueHistogram]>([:])
    let gauges = Mutex<[String: Gauge]>([:])
    /// Budget gauges last set, by key, so budgets that went away are unregistered.
    let budgetSeries = Mutex<Set<String>>([])

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

    /// `labels` bounds team, model and provider values; the default accepts any value and is
    /// only for benches and unit tests that never see client input.
    public init(labels: LabelVocabulary = .unbounded(), telemetryQueueCapacity: Int = 0) {
        self.labels = labels
        let registry = PrometheusCollectorRegistry()
        self.registry = registry
        let g = { (spec: MetricSpec) in registry.makeGauge(descriptor: MetricNameDescriptor(metricName: spec.name, unitName: "", helpText: spec.help)) }
        inFlight = g(MetricCatalog.inFlight)
        telemetryQueueDepth = g(MetricCatalog.telemetryQueueDepth)
        upstreamActive = g(MetricCatalog.upstreamActive)
        // Pre-create the series SRE alerts on, so they exist at 0 before the first event.
        telemetrySpillPending = g(MetricCatalog.telemetrySpillPending)
        g(MetricCatalog.telemetryQueueCapacity).set(Double(telemetryQueueCapacity))
        for spec in [MetricCatalog.telemetryDropped, MetricCatalog.telemetryWritten, MetricCatalog.telemetryEnqueued,
                     MetricCatalog.telemetrySpilled, MetricCatalog.telemetryReplayed, MetricCatalog.telemetryDuplicates,
                     MetricCatalog.telemetryWriteErrors, MetricCatalog.telemetrySpillErrors, MetricCatalog.telemetrySpillCorrupt] {
            _ = counter(spec, [])
        }
        precreateSchedulerSeries()
    }

    /// One finished chat or embeddings call.
    public func recordRequest(team: String, provider: String, model: String, status: RequestStatus, httpStatus: Int,
                              usage: TokenUsage?, cost: Money, baselineCost: Money = .zero,
                              latencySeconds: Double, ttftSeconds: Double?, endpoint: String) {
        let team = labels.team(team), provider = labels.provider(provider), model = labels.model(model)
        counter(MetricCatalog.requests, [endpoint, team, provider, model, status.rawValue, Self.statusClass(httpStatus)]).increment()
        histogram(MetricCatalog.requestDuration, [provider, model]).record(latencySeconds)
        if let ttftSeconds {
            histogram(MetricCatalog.timeToFirstToken, [provider, model]).record(ttftSeconds)
        }
        if let usage {
            counter(MetricCatalog.tokens, [team, provider, model, "input"]).increment(by: Int64(max(0, usage.inputTokens - usage.cachedInputTokens)))
            counter(MetricCatalog.tokens, [team, provider, model, "cached_input"]).increment(by: Int64(usage.cachedInputTokens))
            counter(MetricCatalog.tokens, [team, provider, model, "output"]).increment(by: Int64(usage.outputTokens))
        }
        if cost.nanos > 0 {
            counter(MetricCatalog.cost, [team, provider, model]).increment(by: cost.usd)
        }
        if baselineCost.nanos > 0 {
            counter(MetricCatalog.baselineCost, [team, provider, model]).increment(by: baselineCost.usd)
        }
        let saved = baselineCost - cost
        if saved.nanos > 0 {
            counter(MetricCatalog.savings, [team, provider, model]).increment(by: saved.usd)
        }
    }

    /// A request rejected before routing (bad JSON, unknown model, oversized body...).
    public func recordRejected(reason: String, httpStatus: Int) {
        counter(MetricCatalog.rejected, [reason, String(httpStatus)]).increment()
    }

    public func recordUpstream(provider: String, seconds: Double, errorKind: String?) {
        let provider = labels.provider(provider)
        histogram(MetricCatalog.upstreamDuration, [provider]).record(seconds)
        if let errorKind {
            counter(MetricCatalog.upstreamErrors, [provider, errorKind]).increment()
        }
    }

    /// One attempt on one deployment: `ok`, an error kind, or `circuit_open` when skipped.
    public func recordAttempt(provider: String, model: String, result: String) {
        counter(MetricCatalog.upstreamAttempts, [labels.provider(provider), labels.model(model), result]).increment()
    }

    /// 0 closed, 1 half-open, 2 open.
    public func setCircuitState(provider: String, model: String, _ value: Double) {
        gauge(MetricCatalog.circuitState, [labels.provider(provider), labels.model(model)]).set(value)
    }

    /// A call that failed on one deployment and moved on to the next.
    public func recordFailover(fromProvider: String, model: String, errorKind: String) {
        counter(MetricCatalog.failovers, [labels.provider(fromProvider), labels.model(model), errorKind]).increment()
    }

    public func recordRetry(provider: String) {
        counter(MetricCatalog.retries, [labels.provider(provider)]).increment()
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
        func bump(_ spec: MetricSpec, _ delta: Int) {
            if delta > 0 { counter(spec, []).increment(by: Int64(delta)) }
        }
        bump(MetricCatalog.telemetryEnqueued, now.enqueued - last.enqueued)
        bump(MetricCatalog.telemetryWritten, now.written - last.written)
        bump(MetricCatalog.telemetryDropped, now.dropped - last.dropped)
        bump(MetricCatalog.telemetryWriteErrors, now.writeErrors - last.writeErrors)
        bump(MetricCatalog.telemetrySpilled, now.spilled - last.spilled)
        bump(MetricCatalog.telemetryReplayed, now.replayed - last.replayed)
        bump(MetricCatalog.telemetryDuplicates, now.duplicates - last.duplicates)
        bump(MetricCatalog.telemetrySpillErrors, now.spillErrors - last.spillErrors)
        bump(MetricCatalog.telemetrySpillCorrupt, now.spillCorruptRecords - last.spillCorruptRecords)
    }

    /// Prometheus text exposition format 0.0.4.
    public func exposition() -> [UInt8] { registry.emitToBuffer() }

    static func statusClass(_ code: Int) -> String { "\(code / 100)xx" }
}
