import FinOpsCore

/// One dashboard panel: a Prometheus query or several, drawn as a time series, stat, bar gauge
/// or state timeline. Every panel uses the dashboard's `${datasource}` variable.
public struct GrafanaPanel: Sendable {
    public enum Kind: String, Sendable {
        case timeseries, stat, bargauge
        case stateTimeline = "state-timeline"
    }

    public struct Query: Sendable {
        public var expr: String
        public var legend: String
        public init(_ expr: String, legend: String) {
            self.expr = expr
            self.legend = legend
        }
    }

    public var title: String
    public var kind: Kind
    /// Grafana unit id: `currencyUSD`, `s`, `percentunit`, `reqps`, `short`...
    public var unit: String
    public var width: Int
    public var height: Int
    public var queries: [Query]
    public var description: String

    public init(_ title: String, _ kind: Kind = .timeseries, unit: String = "short", width: Int = 8, height: Int = 8,
                description: String, _ queries: [Query]) {
        precondition((1...24).contains(width) && !queries.isEmpty)
        self.title = title
        self.kind = kind
        self.unit = unit
        self.width = width
        self.height = height
        self.queries = queries
        self.description = description
    }

    static let datasource: JSONValue = .object([("type", .string("prometheus")), ("uid", .string("${datasource}"))])

    func json(id: Int, x: Int, y: Int) -> JSONValue {
        let refIDs = "ABCDEFGHIJ".map(String.init)
        var fieldDefaults: [(String, JSONValue)] = [("unit", .string(unit))]
        if kind == .stateTimeline {
            fieldDefaults.append(("mappings", .array([.object([("type", .string("value")), ("options", .object([
                ("0", .object([("text", .string("closed")), ("color", .string("green"))])),
                ("1", .object([("text", .string("half-open")), ("color", .string("yellow"))])),
                ("2", .object([("text", .string("open")), ("color", .string("red"))])),
            ]))])])))
        }
        if unit == "percentunit" { fieldDefaults.append(("min", .int(0))) }
        var options: [(String, JSONValue)] = [("legend", .object([("displayMode", .string("list")), ("placement", .string("bottom"))]))]
        if kind == .stat || kind == .bargauge {
            options = [("reduceOptions", .object([("calcs", .array([.string("lastNotNull")])), ("fields", .string("")), ("values", .bool(false))]))]
        }
        return .object([
            ("id", .int(id)),
            ("type", .string(kind.rawValue)),
            ("title", .string(title)),
            ("description", .string(description)),
            ("datasource", Self.datasource),
            ("gridPos", .object([("h", .int(height)), ("w", .int(width)), ("x", .int(x)), ("y", .int(y))])),
            ("fieldConfig", .object([("defaults", .object(fieldDefaults)), ("overrides", .array([]))])),
            ("options", .object(options)),
            ("targets", .array(queries.enumerated().map { i, q in
                .object([("refId", .string(refIDs[i])), ("datasource", Self.datasource), ("expr", .string(q.expr)),
                         ("legendFormat", .string(q.legend)), ("range", .bool(true))])
            })),
        ])
    }
}
