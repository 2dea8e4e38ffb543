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
        var explicitFailure = Set<String>()
        try r.object(root, "") { key, value, path in
            if try readSpendSection(key, r, value, path, &config.spend, explicitFailure: &explicitFailure) { return }
            if try readOperationsSection(key, r, value, path, &config) { return }
            if try readSchedulerSection(key, r, value, path, &config, environment: environment) { return }
            if key == "dashboard" { return try readDashboard(r, value, path, &config.dashboard) }
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
            case "failover": try readFailover(r, value, path, &config)
            case "policies_dir": config.policiesDirectory = try r.string(value, path)
            case "dedup":
                try r.object(value, path) { k, v, p in
                    guard k == "teams" else { throw r.unknown(v, p) }
                    config.dedupTeams = try r.list(v, p) { item, ip in try r.string(item, ip) }
                }
            default: throw r.unknown(value, path)
            }
        }
        if config.providers.isEmpty {
            config.providers = RouterConfig.embeddedDefaults(environment: environment, catalog: catalog).providers
        }
        try finishSpend(&config.spend, explicitFailure: explicitFailure, file: file, catalog: catalog)
        try finishScheduler(config, file: file)
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
        var presetValues: RouterConfig.Preset?
        var p = RouterConfig.Provider(name: "", kind: .simulator)
        p.baseURL = "\u{0}"  // marks "not given", so a preset's URL can fill it
        try r.object(node, path) { k, v, kp in
            switch k {
            case "name": name = try r.string(v, kp)
            case "kind":
                let raw = try r.string(v, kp)
                if let preset = RouterConfig.Preset.all[raw] {
                    kind = preset.kind
                    presetValues = preset
                } else if let parsed = RouterConfig.ProviderKind(rawValue: raw) {
                    kind = parsed
                } else {
                    let known = Set(RouterConfig.ProviderKind.allCases.map(\.rawValue)).union(RouterConfig.Preset.all.keys).sorted()
                    throw r.error(v, kp, "unknown provider kind '\(raw)'; expected one of \(known.joined(separator: ", "))")
                }
            case "base_url": p.baseURL = try r.string(v, kp)
            case "api_key_env": p.apiKeyEnv = try r.string(v, kp)
            case "api_key":
                throw r.error(v, kp, "keys never go in config files; put the key in an environment variable and name it with api_key_env")
            case "models": p.models = try r.list(v, kp) { item, ip in try r.string(item, ip) }
            case "timeout_ms": p.timeoutMs = try r.int(v, kp, 100...3_600_000)
            case "connect_timeout_ms": p.connectTimeoutMs = try r.int(v, kp, 10...600_000)
            case "stream_idle_timeout_ms": p.streamIdleTimeoutMs = try r.int(v, kp, 1000...3_600_000)
            case "api_version": p.apiVersion = try r.string(v, kp)
            case "region": p.region = try r.string(v, kp)
            case "access_key_env": p.accessKeyEnv = try r.string(v, kp)
            case "secret_key_env": p.secretKeyEnv = try r.string(v, kp)
            case "session_token_env": p.sessionTokenEnv = try r.string(v, kp)
            case "model_ids":
                try r.object(v, kp) { model, mv, mp in p.modelIDs[model] = try r.string(mv, mp) }
            case "deployments":
                try r.object(v, kp) { model, dv, dp in p.deployments[model] = try r.string(dv, dp) }
            case "simulator":
                var settings = RouterConfig.Simulator()
                try readSimulator(r, v, kp, &settings)
                p.simulator = settings
            default: throw r.unknown(v, kp)
            }
        }
        guard let name, !name.isEmpty else { throw r.error(node, path + ".name", "every provider needs a name") }
        guard let kind else { throw r.error(node, path + ".kind", "every provider needs a kind") }
        p.name = name
        p.kind = kind
        if p.baseURL == "\u{0}" {
            p.baseURL = kind == .bedrock ? "https://bedrock-runtime.\(p.region).amazonaws.com" : presetValues?.baseURL ?? ""
        }
        if p.apiKeyEnv == nil { p.apiKeyEnv = presetValues?.apiKeyEnv }
        if kind != .simulator {
            guard p.baseURL.hasPrefix("http://") || p.baseURL.hasPrefix("https://") else {
                throw r.error(node, path + ".base_url", "a \(kind.rawValue) provider needs an http(s) base_url")
            }
            guard !p.models.isEmpty else { throw r.error(node, path + ".models", "list the models this provider serves") }
        }
        return p
    }

    private static func readFailover(_ r: NodeReader, _ node: Node, _ path: String, _ config: inout RouterConfig) throws {
        try r.object(node, path) { k, v, p in
            switch k {
            case "groups":
                config.failoverGroups = try r.list(v, p) { item, ip in
                    var name: String?
                    var chain: [(provider: String, model: String)] = []
                    var models: [String] = []
                    try r.object(item, ip) { gk, gv, gp in
                        switch gk {
                        case "name": name = try r.string(gv, gp)
                        case "models": models = try r.list(gv, gp) { m, mp in try r.string(m, mp) }
                        case "chain":
                            chain = try r.list(gv, gp) { entry, ep in
                                let text = try r.string(entry, ep)
                                guard let colon = text.firstIndex(of: ":"), colon != text.startIndex, colon != text.index(before: text.endIndex) else {
                                    throw r.error(entry, ep, "expected provider:model, got '\(text)'")
                                }
                                return (String(text[..<colon]), String(text[text.index(after: colon)...]))
                            }
                        default: throw r.unknown(gv, gp)
                        }
                    }
                    guard let name, !name.isEmpty else { throw r.error(item, ip + ".name", "every failover group needs a name") }
                    guard !chain.isEmpty else { throw r.error(item, ip + ".chain", "a failover group needs at least one provider:model") }
                    return RouterConfig.FailoverGroup(name: name, chain: chain, models: models)
                }
            case "retry":
                try r.object(v, p) { rk, rv, rp in
                    switch rk {
                    case "max_attempts_per_provider": config.retry.maxAttemptsPerProvider = try r.int(rv, rp, 1...10)
                    case "base_delay_ms": config.retry.baseDelay = Double(try r.int(rv, rp, 0...60_000)) / 1000
                    case "max_delay_ms": config.retry.maxDelay = Double(try r.int(rv, rp, 0...600_000)) / 1000
                    case "total_deadline_ms": config.retry.totalDeadline = Double(try r.int(rv, rp, 100...3_600_000)) / 1000
                    case "max_retry_after_ms": config.retry.maxRetryAfter = Double(try r.int(rv, rp, 0...600_000)) / 1000
                    default: throw r.unknown(rv, rp)
                    }
                }
            case "circuit_breaker":
                try r.object(v, p) { ck, cv, cp in
                    switch ck {
                    case "failure_threshold": config.circuitBreaker.failureThreshold = try r.int(cv, cp, 1...10_000)
                    case "failure_ratio": config.circuitBreaker.failureRatio = try r.double(cv, cp, 0.01...1)
                    case "minimum_requests": config.circuitBreaker.minimumRequests = try r.int(cv, cp, 1...1_000_000)
                    case "window_seconds": config.circuitBreaker.windowSeconds = try r.double(cv, cp, 1...86_400)
                    case "open_seconds": config.circuitBreaker.openDuration = try r.double(cv, cp, 0.01...86_400)
                    case "max_open_seconds": config.circuitBreaker.maxOpenDuration = try r.double(cv, cp, 0.01...86_400)
                    case "half_open_probes": config.circuitBreaker.halfOpenProbes = try r.int(cv, cp, 1...1000)
                    default: throw r.unknown(cv, cp)
                    }
                }
            default: throw r.unknown(v, p)
            }
        }
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
        let providerNames = Set(config.providers.map(\.name))
        for (g, group) in config.failoverGroups.enumerated() {
            for (i, entry) in group.chain.enumerated() {
                guard providerNames.contains(entry.provider) else {
                    throw ConfigError(file: r.file, line: nil, key: "failover.groups[\(g)].chain[\(i)]",
                                      reason: "no provider named '\(entry.provider)'")
                }
                guard catalog.price(for: entry.model) != nil else {
                    throw ConfigError(file: r.file, line: nil, key: "failover.groups[\(g)].chain[\(i)]",
                                      reason: "model '\(entry.model)' is not in the pricing catalog")
                }
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
