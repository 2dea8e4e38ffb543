import FinOpsCore
import Foundation
import Yams

/// A configuration problem, located: `file:line: key.path: reason`.
public struct ConfigError: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var line: Int?
    public var key: String
    public var reason: String

    public var description: String {
        "\(file)\(line.map { ":\($0)" } ?? ""): \(key.isEmpty ? "" : key + ": ")\(reason)"
    }
}

/// Reads `finops-router.yaml` into a `RouterConfig`. Every key is checked: unknown keys, wrong
/// types and out-of-range values are errors that name the key and its line, so a typo never
/// silently falls back to a default.
public enum ConfigLoader {
    public static func load(path: String, environment: [String: String], catalog: PricingCatalog) throws -> RouterConfig {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigError(file: path, line: nil, key: "", reason: "cannot read the file")
        }
        return try parse(yaml: text, file: path, environment: environment, catalog: catalog)
    }

    public static func parse(yaml: String, file: String, environment: [String: String], catalog: PricingCatalog) throws -> RouterConfig {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                return RouterConfig.embeddedDefaults(environment: environment, catalog: catalog)
            }
            root = node
        } catch let error as YamlError {
            throw ConfigError(file: file, line: nil, key: "", reason: "not valid YAML: \(error)")
        }
        let r = NodeReader(file: file)
        var config = RouterConfig()
        try r.object(root, "") { key, value, path in
            switch key {
            case "server": try readServer(r, value, path, &config.server)
            case "telemetry": try readTelemetry(r, value, path, &config.telemetry)
            case "pricing":
                try r.object(value, path) { k, v, p in
                    guard k == "catalog" else { throw r.unknown(v, p) }
                    config.pricingFile = try r.string(v, p)
                }
            case "providers":
                config.providers = try r.list(value, path) { item, p in try readProvider(r, item, p) }
            case "simulator": try readSimulator(r, value, path, &config.simulator)
            case "attribution":
                try r.object(value, path) { k, v, p in
                    switch k {
                    case "org": config.org = try r.string(v, p)
                    case "default_team": config.defaultTeam = try r.string(v, p)
                    default: throw r.unknown(v, p)
                    }
                }
            case "aliases":
                try r.object(value, path) { alias, v, p in config.aliases[alias] = try r.string(v, p) }
            default: throw r.unknown(value, path)
            }
        }
        if config.providers.isEmpty {
            config.providers = RouterConfig.embeddedDefaults(environment: environment, catalog: catalog).providers
        }
        try validate(config, root: root, reader: r, catalog: catalog)
        return config
    }

    private static func readServer(_ r: NodeReader, _ node: Node, _ path: String, _ s: inout RouterConfig.Server) throws {
        try r.object(node, path) { k, v, p in
            switch k {
            case "host": s.host = try r.string(v, p)
            case "port": s.port = try r.int(v, p, 0...65535)
            case "threads": s.threads = try r.int(v, p, 1...64)
            case "connection_limit": s.connectionLimit = try r.int(v, p, 16...1_000_000)
            case "max_body_bytes": s.maxBodyBytes = try r.int(v, p, 1024...(256 << 20))
            case "drain_timeout_seconds": s.drainTimeoutSeconds = try r.int(v, p, 0...3600)
            default: throw r.unknown(v, p)
            }
        }
    }

    private static func readTelemetry(_ r: NodeReader, _ node: Node, _ path: String, _ t: inout RouterConfig.Telemetry) throws {
        try r.object(node, path) { k, v, p in
            switch k {
            case "sqlite_path": t.sqlitePath = try r.string(v, p)
            case "queue_capacity": t.queueCapacity = try r.int(v, p, 16...10_000_000)
            case "batch_size": t.batchSize = try r.int(v, p, 1...100_000)
            case "flush_interval_ms": t.flushIntervalMs = try r.int(v, p, 1...60_000)
            case "database_url": t.databaseURL = try TelemetryDatabaseURL.validated(try r.string(v, p), node: v, path: p, reader: r)
            case "spill_dir": t.spillDirectory = try r.string(v, p)
            default: throw r.unknown(v, p)
            }
        }
    }

    private static func readProvider(_ r: NodeReader, _ node: Node, _ path: String) throws -> RouterConfig.Provider {
        var name: String?
        var kind: RouterConfig.ProviderKind?
        var p = RouterConfig.Provider(name: "", kind: .simulator)
        try r.object(node, path) { k, v, kp in
            switch k {
            case "name": name = try r.string(v, kp)
            case "kind":
                let raw = try r.string(v, kp)
                guard let parsed = RouterConfig.ProviderKind(rawValue: raw) else {
                    throw r.error(v, kp, "unknown provider kind '\(raw)'; expected one of \(RouterConfig.ProviderKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                kind = parsed
            case "base_url": p.baseURL = try r.string(v, kp)
            case "api_key_env": p.apiKeyEnv = try r.string(v, kp)
            case "api_key":
                throw r.error(v, kp, "keys never go in config files; put the key in an environment variable and name it with api_key_env")
            case "models": p.models = try r.list(v, kp) { item, ip in try r.string(item, ip) }
            case "timeout_ms": p.timeoutMs = try r.int(v, kp, 100...3_600_000)
            case "connect_timeout_ms": p.connectTimeoutMs = try r.int(v, kp, 10...600_000)
            case "stream_idle_timeout_ms": p.streamIdleTimeoutMs = try r.int(v, kp, 1000...3_600_000)
            default: throw r.unknown(v, kp)
            }
        }
        guard let name, !name.isEmpty else { throw r.error(node, path + ".name", "every provider needs a name") }
        guard let kind else { throw r.error(node, path + ".kind", "every provider needs a kind") }
        p.name = name
        p.kind = kind
        if kind == .openAICompatible {
            guard p.baseURL.hasPrefix("http://") || p.baseURL.hasPrefix("https://") else {
                throw r.error(node, path + ".base_url", "an openai-compatible provider needs an http(s) base_url")
            }
            guard !p.models.isEmpty else { throw r.error(node, path + ".models", "list the models this provider serves") }
        }
        return p
    }

    private static func readSimulator(_ r: NodeReader, _ node: Node, _ path: String, _ s: inout RouterConfig.Simulator) throws {
        try r.object(node, path) { k, v, p in
            switch k {
            case "latency_median_ms": s.latencyMedianMs = try r.double(v, p, 0...600_000)
            case "latency_p95_ms": s.latencyP95Ms = try r.double(v, p, 0...600_000)
            case "tokens_per_second": s.tokensPerSecond = try r.double(v, p, 0...1_000_000)
            case "error_rate": s.errorRate = try r.double(v, p, 0...1)
            case "rate_limit_rate": s.rateLimitRate = try r.double(v, p, 0...1)
            case "seed": s.seed = UInt64(try r.int(v, p, 0...Int.max))
            case "outages":
                s.outages = try r.list(v, p) { item, ip in
                    var model: String?
                    var start = 0.0, duration = 0.0
                    try r.object(item, ip) { ok, ov, op in
                        switch ok {
                        case "model": model = try r.string(ov, op)
                        case "start_after_seconds": start = try r.double(ov, op, 0...31_536_000)
                        case "duration_seconds": duration = try r.double(ov, op, 0...31_536_000)
                        default: throw r.unknown(ov, op)
                        }
                    }
                    return .init(model: model, startAfterSeconds: start, durationSeconds: duration)
                }
            default: throw r.unknown(v, p)
            }
        }
        if s.latencyP95Ms < s.latencyMedianMs {
            throw r.error(node, path + ".latency_p95_ms", "must be at least latency_median_ms")
        }
        if s.errorRate + s.rateLimitRate > 1 {
            throw r.error(node, path, "error_rate + rate_limit_rate must not exceed 1")
        }
    }

    private static func validate(_ config: RouterConfig, root: Node, reader r: NodeReader, catalog: PricingCatalog) throws {
        var seen = Set<String>()
        for (i, provider) in config.providers.enumerated() {
            guard seen.insert(provider.name).inserted else {
                throw ConfigError(file: r.file, line: nil, key: "providers[\(i)].name", reason: "duplicate provider name '\(provider.name)'")
            }
            for model in provider.models where catalog.price(for: model) == nil {
                throw ConfigError(file: r.file, line: nil, key: "providers[\(i)].models",
                                  reason: "model '\(model)' is not in the pricing catalog, so its cost could not be computed")
            }
        }
        for (alias, target) in config.aliases where catalog.price(for: target) == nil {
            throw ConfigError(file: r.file, line: nil, key: "aliases.\(alias)", reason: "target model '\(target)' is not in the pricing catalog")
        }
    }
}

/// Typed access to YAML nodes with located errors.
struct NodeReader {
    let file: String

    func error(_ node: Node, _ key: String, _ reason: String) -> ConfigError {
        ConfigError(file: file, line: node.mark?.line, key: key, reason: reason)
    }

    func unknown(_ node: Node, _ key: String) -> ConfigError {
        error(node, key, "unknown key")
    }

    func object(_ node: Node, _ path: String, _ each: (String, Node, String) throws -> Void) throws {
        guard let mapping = node.mapping else { throw error(node, path, "expected a mapping") }
        for (k, v) in mapping {
            guard let key = k.scalar?.string else { throw error(k, path, "keys must be strings") }
            try each(key, v, path.isEmpty ? key : "\(path).\(key)")
        }
    }

    func list<T>(_ node: Node, _ path: String, _ each: (Node, String) throws -> T) throws -> [T] {
        guard let seq = node.sequence else { throw error(node, path, "expected a list") }
        return try seq.enumerated().map { try each($1, "\(path)[\($0)]") }
    }

    func string(_ node: Node, _ path: String) throws -> String {
        guard let s = node.scalar?.string else { throw error(node, path, "expected a string") }
        return s
    }

    func int(_ node: Node, _ path: String, _ range: ClosedRange<Int>) throws -> Int {
        guard let s = node.scalar?.string, let v = Int(s.replacingOccurrences(of: "_", with: "")) else {
            throw error(node, path, "expected an integer")
        }
        guard range.contains(v) else { throw error(node, path, "\(v) is out of range \(range.lowerBound)...\(range.upperBound)") }
        return v
    }

    func double(_ node: Node, _ path: String, _ range: ClosedRange<Double>) throws -> Double {
        guard let s = node.scalar?.string, let v = Double(s.replacingOccurrences(of: "_", with: "")) else {
            throw error(node, path, "expected a number")
        }
        guard range.contains(v) else { throw error(node, path, "\(v) is out of range \(range.lowerBound)...\(range.upperBound)") }
        return v
    }
}
