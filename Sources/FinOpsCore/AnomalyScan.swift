import Foundation

/// Runs the enabled detectors over each scope's hourly series and turns what they find into
/// findings: spikes of spend, request count, cost per request and p95 latency (robust z, IQR,
/// hour of week; `minAgreeingDetectors` must agree), and drift of cost per request and p95
/// latency. The judged hour is the last one of each series (the newest complete hour). Pure.
public struct AnomalyScan: Sendable {
    public var settings: SchedulerSettings

    public init(settings: SchedulerSettings) { self.settings = settings }

    static let spikeKinds: [(AlertMetric, AlertKind)] = [
        (.spend, .spendSpike), (.requests, .requestSpike), (.costPerRequest, .costPerRequestSpike), (.latencyP95, .latencySpike),
    ]
    static let driftKinds: [(AlertMetric, AlertKind)] = [(.costPerRequest, .costDrift), (.latencyP95, .latencyDrift)]

    public func findings(_ series: [HourlyScopeSeries]) -> [AlertFinding] {
        series.flatMap { s -> [AlertFinding] in
            guard !s.totals.isEmpty else { return [] }
            return Self.spikeKinds.compactMap { spike(s, $0.0, $0.1) } + Self.driftKinds.compactMap { drift(s, $0.0, $0.1) }
        }
    }

    /// The spike detectors' verdicts on the last hour of `metric`, strongest evidence first.
    public func spikeEvidence(_ s: HourlyScopeSeries, _ metric: AlertMetric) -> [AnomalyEvidence] {
        // A quiet hour is not judged: a few calls of a big model are not a spike anybody acts on.
        let perRequest = metric == .costPerRequest || metric == .latencyP95
        let needed = perRequest ? settings.minRequestsPerHourPerCall : settings.minRequestsPerHour
        guard (s.totals.last?.requests ?? 0) >= needed else { return [] }
        let values = s.values(metric, minRequests: perRequest ? settings.minRequestsPerPoint : 1)
        let index = values.count - 1
        guard values[index] != nil else { return [] }
        let firstHour = Int((SpendRollup.Granularity.epochMillis(s.start) / 3_600_000))
        var found: [AnomalyEvidence] = []
        if let d = settings.spike, let e = d.evaluate(hourly: values, at: index, firstHour: firstHour) { found.append(e) }
        if let d = settings.hourOfWeek, let e = d.evaluate(hourly: values, at: index, firstHour: firstHour) { found.append(e) }
        if let d = settings.iqr, let e = d.evaluate(hourly: values, at: index, firstHour: firstHour) { found.append(e) }
        return found
    }

    private func spike(_ s: HourlyScopeSeries, _ metric: AlertMetric, _ kind: AlertKind) -> AlertFinding? {
        let evidence = spikeEvidence(s, metric)
        guard !evidence.isEmpty, evidence.count >= settings.minAgreeingDetectors else { return nil }
        let primary = evidence[0]
        let hour = s.hour(s.totals.count - 1)
        let detail = evidence.map { e in
            switch e.detector {
            case .robustZ: "robust z \(Self.number(e.score)) over \(e.windowHours) h"
            case .iqr: "above the IQR fence \(Self.show(e.limit, metric))"
            case .hourOfWeek: "same hour of week usually \(Self.show(e.baseline, metric))"
            case .drift: ""
            }
        }.joined(separator: "; ")
        let ratio = primary.baseline > 0 ? " (\(Self.number(primary.observed / primary.baseline))× the median \(Self.show(primary.baseline, metric)))" : ""
        return finding(kind, s.scope, hour: hour, requests: s.totals.last?.requests ?? 0, evidence: evidence,
                       title: "\(Self.label(metric)) spike: \(s.scope.description)",
                       message: "\(Self.label(metric)) in the hour from \(CivilDate.iso8601(hour)) was \(Self.show(primary.observed, metric))\(ratio); \(detail).",
                       metric: metric)
    }

    private func drift(_ s: HourlyScopeSeries, _ metric: AlertMetric, _ kind: AlertKind) -> AlertFinding? {
        guard let detector = settings.drift,
              let e = detector.evaluate(values: s.values(metric, minRequests: 1), requests: s.requests) else { return nil }
        let hours = Int(e.extra["consecutive_hours"] ?? 0)
        let change = Int(((e.extra["change_ratio"] ?? 0) * 100).rounded())
        let hour = s.hour(s.totals.count - 1)
        return finding(kind, s.scope, hour: hour, requests: s.totals.last?.requests ?? 0, evidence: [e],
                       title: "\(Self.label(metric)) drift: \(s.scope.description)",
                       message: "\(Self.label(metric)) has been \(Self.show(e.observed, metric)) over the last \(hours) busy hours, "
                           + "+\(change)% on the trailing \(e.windowHours / 24)-day median \(Self.show(e.baseline, metric)) "
                           + "(z \(Self.number(e.score)), \(Int(e.extra["recent_requests"] ?? 0)) requests).",
                       metric: metric)
    }

    private func finding(_ kind: AlertKind, _ scope: AlertScope, hour: Date, requests: Int, evidence: [AnomalyEvidence],
                         title: String, message: String, metric: AlertMetric) -> AlertFinding {
        var labels = Dictionary(uniqueKeysWithValues: scope.pairs.map { ($0.0, $0.1) })
        labels["metric"] = metric.rawValue
        labels["detectors"] = evidence.map(\.detector.rawValue).joined(separator: ",")
        labels["hour"] = CivilDate.iso8601(hour)
        labels["hour_requests"] = String(requests)
        for e in evidence { labels.merge(e.labels) { a, _ in a } }
        return AlertFinding(kind: kind, severity: settings.severity(for: kind), fingerprint: AlertFinding.fingerprint(kind, scope.pairs),
                            team: scope.team, title: title, message: message, value: evidence[0].observed,
                            threshold: evidence[0].limit, labels: labels)
    }

    static func label(_ metric: AlertMetric) -> String {
        switch metric {
        case .spend: "Spend"
        case .requests: "Request volume"
        case .costPerRequest: "Cost per request"
        case .latencyP95: "p95 latency"
        }
    }

    /// A value with its unit: `$12.35`, `$0.000412`, `1,240 ms`, `310 calls`.
    static func show(_ v: Double, _ metric: AlertMetric) -> String {
        switch metric {
        case .spend, .costPerRequest: "$" + (abs(v) >= 1 ? String(format: "%.2f", v) : String(format: "%.3g", v))
        case .requests: "\(Int(v.rounded())) calls"
        case .latencyP95: "\(Int(v.rounded())) ms"
        }
    }

    static func number(_ v: Double) -> String { v.isFinite ? String(format: abs(v) >= 100 ? "%.0f" : "%.1f", v) : "∞" }
}
