/// One metric family the router exposes: its name, type, help text and label names. Every
/// series is registered through a spec (see `MetricCatalog`), so the help text of a family is
/// always the same and the alert rules and the Grafana dashboard can only name metrics that exist.
public struct MetricSpec: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case counter, gauge, histogram
    }

    public let name: String
    public let kind: Kind
    public let help: String
    /// Label names, in the order the series are written.
    public let labels: [String]

    public init(_ name: String, _ kind: Kind, _ help: String, labels: [String] = []) {
        precondition(name.hasPrefix("finops_router_"), "router metrics are named finops_router_*")
        precondition(kind != .counter || name.hasSuffix("_total"), "counters end in _total")
        self.name = name
        self.kind = kind
        self.help = help
        self.labels = labels
    }

    public var description: String { name }

    /// The series names this family writes: histograms add `_bucket`, `_sum` and `_count`.
    public var seriesNames: [String] {
        kind == .histogram ? [name + "_bucket", name + "_sum", name + "_count"] : [name]
    }

    // Histogram series, for PromQL in the generated rules and dashboards.
    public var bucket: String { name + "_bucket" }
    public var count: String { name + "_count" }
    public var sum: String { name + "_sum" }
}
