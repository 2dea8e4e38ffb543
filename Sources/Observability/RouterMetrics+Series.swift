import Prometheus

/// Series handles by spec and label values, cached so the request path never goes through the
/// registry's validating lookup twice for the same series.
extension RouterMetrics {
    func counter(_ spec: MetricSpec, _ values: [String]) -> Counter {
        precondition(spec.kind == .counter && values.count == spec.labels.count, "\(spec.name): wrong kind or label count")
        let key = Self.key(spec.name, values)
        if let c = counters.withLock({ $0[key] }) { return c }
        let c = registry.makeCounter(descriptor: MetricNameDescriptor(metricName: spec.name, unitName: "", helpText: spec.help),
                                     labels: Array(zip(spec.labels, values)))
        counters.withLock { $0[key] = c }
        return c
    }

    func histogram(_ spec: MetricSpec, _ values: [String], buckets: [Double] = RouterMetrics.latencyBuckets) -> ValueHistogram {
        precondition(spec.kind == .histogram && values.count == spec.labels.count, "\(spec.name): wrong kind or label count")
        let key = Self.key(spec.name, values)
        if let h = histograms.withLock({ $0[key] }) { return h }
        let h = registry.makeValueHistogram(descriptor: MetricNameDescriptor(metricName: spec.name, unitName: "", helpText: spec.help),
                                            labels: Array(zip(spec.labels, values)), buckets: buckets)
        histograms.withLock { $0[key] = h }
        return h
    }

    func gauge(_ spec: MetricSpec, _ values: [String]) -> Gauge {
        precondition(spec.kind == .gauge && values.count == spec.labels.count, "\(spec.name): wrong kind or label count")
        let key = Self.key(spec.name, values)
        return gauges.withLock { g -> Gauge in
            if let existing = g[key] { return existing }
            let created = registry.makeGauge(descriptor: MetricNameDescriptor(metricName: spec.name, unitName: "", helpText: spec.help),
                                             labels: Array(zip(spec.labels, values)))
            g[key] = created
            return created
        }
    }

    /// Drops a gauge series (a budget that no longer exists).
    func removeGauge(_ spec: MetricSpec, _ values: [String]) {
        let key = Self.key(spec.name, values)
        if let gauge = gauges.withLock({ $0.removeValue(forKey: key) }) { registry.unregisterGauge(gauge) }
    }

    /// `name␟value␟value…`, built in place: this runs several times per request, and
    /// `k += sep + v` made a temporary string for every label.
    static func key(_ name: String, _ values: [String]) -> String {
        var length = name.utf8.count
        for v in values { length += 1 + v.utf8.count }
        var k = ""
        k.reserveCapacity(length)
        k.append(name)
        for v in values {
            k.append("\u{1F}")
            k.append(v)
        }
        return k
    }
}

extension RouterMetrics {
    /// Keys of the histogram series registered so far whose name and first values start with `prefix`.
    func histogramKeys(prefix: String) -> [String] {
        histograms.withLock { $0.keys.filter { $0.hasPrefix(prefix) } }
    }
}
