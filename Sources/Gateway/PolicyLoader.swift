import FinOpsCore
import Foundation
import Yams

/// Reads team policies (`config/policies/<team>.yaml`) into `TeamPolicies`, checking every key
/// against the pricing catalog: an unknown model, tier, strategy or key, a regex that does not
/// compile, or a policy that leaves no model to route to is a `ConfigError` naming the file,
/// key and line. The team is the file name; see docs/routing-policy-guide.md for the format.
public enum PolicyLoader {
    /// Every `*.yaml` / `*.yml` file in `directory`. A missing directory means no policies.
    /// `failoverGroups`: the configured group names; when given, a `failover_group` naming
    /// none of them is an error (a typo would otherwise silently disable the failover).
    public static func loadDirectory(_ directory: String, catalog: PricingCatalog, failoverGroups: Set<String>? = nil) throws -> TeamPolicies {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: directory, isDirectory: &isDirectory) else { return TeamPolicies() }
        guard isDirectory.boolValue, let names = try? fm.contentsOfDirectory(atPath: directory) else {
            throw ConfigError(file: directory, line: nil, key: "", reason: "not a readable directory")
        }
        var policies: [String: TeamPolicy] = [:]
        for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            let path = (directory as NSString).appendingPathComponent(name)
            let policy = try load(path: path, catalog: catalog, failoverGroups: failoverGroups)
            guard policies[policy.team] == nil else {
                throw ConfigError(file: path, line: nil, key: "", reason: "a second policy file for team '\(policy.team)'")
            }
            policies[policy.team] = policy
        }
        return TeamPolicies(Array(policies.values))
    }

    public static func load(path: String, catalog: PricingCatalog, failoverGroups: Set<String>? = nil) throws -> TeamPolicy {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigError(file: path, line: nil, key: "", reason: "cannot read the file")
        }
        let base = (path as NSString).lastPathComponent
        let team = (base as NSString).deletingPathExtension
        return try parse(yaml: text, file: path, team: team, catalog: catalog, failoverGroups: failoverGroups)
    }

    public static func parse(yaml: String, file: String, team: String, catalog: PricingCatalog,
                             failoverGroups: Set<String>? = nil) throws -> TeamPolicy {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else { return TeamPolicy(team: team) }
            root = node
        } catch {
            throw ConfigError(file: file, line: nil, key: "", reason: "not valid YAML: \(error)")
        }
        var reader = PolicyReader(r: NodeReader(file: file), catalog: catalog, failoverGroups: failoverGroups, policy: TeamPolicy(team: team))
        try reader.read(root)
        return reader.policy
    }
}

/// One file's reading state: the policy so far and where each key was, so checks that span
/// keys (allowed vs blocked, rules vs blocks) can still point at a line.
private struct PolicyReader {
    let r: NodeReader
    let catalog: PricingCatalog
    let failoverGroups: Set<String>?
    var policy: TeamPolicy
    var nodes: [String: Node] = [:]

    private var providers: Set<String> { Set(catalog.allPrices.map(\.provider)) }

    mutating func read(_ root: Node) throws {
        try r.object(root, "") { key, value, path in
            nodes[path] = value
            switch key {
            case "team":
                let named = try r.string(value, path)
                guard named == policy.team else {
                    throw r.error(value, path, "says '\(named)' but the file is for team '\(policy.team)' (the file name is the team)")
                }
            case "default_strategy":
                let raw = try r.string(value, path)
                guard let s = RoutingStrategy(rawValue: raw), s != .fixed else {
                    throw r.error(value, path, "unknown strategy '\(raw)'; expected cost-first, performance-first, auto or cascade")
                }
                policy.defaultStrategy = s
            case "allowed_models": policy.allowedModels = Set(try models(value, path))
            case "blocked_models": policy.blockedModels = Set(try models(value, path))
            case "allowed_providers": policy.allowedProviders = Set(try providerList(value, path))
            case "blocked_providers": policy.blockedProviders = Set(try providerList(value, path))
            case "min_tier":
                try r.object(value, path) { useCase, v, p in policy.minTier[useCase] = try tier(v, p) }
            case "baseline_model": policy.baselineModel = try model(value, path)
            case "max_cost_per_request_usd":
                let usd = try r.double(value, path, 0...1_000_000)
                guard usd > 0 else { throw r.error(value, path, "must be more than 0 (leave it out for no cap)") }
                policy.maxCostPerRequest = Money(usd: usd)
            case "failover_group":
                let name = try r.string(value, path)
                if let groups = failoverGroups, !groups.contains(name) {
                    let known = groups.isEmpty ? "none are configured" : "configured: \(groups.sorted().joined(separator: ", "))"
                    throw r.error(value, path, "no failover group '\(name)' (\(known))")
                }
                policy.failoverGroup = name
            case "expected_output_tokens": policy.expectedOutputTokens = try r.int(value, path, 1...1_000_000)
            case "auto":
                try r.object(value, path) { k, v, p in
                    switch k {
                    case "small_max_complexity": policy.autoTiers.smallMax = try r.int(v, p, 0...10)
                    case "medium_max_complexity": policy.autoTiers.mediumMax = try r.int(v, p, 0...10)
                    default: throw r.unknown(v, p)
                    }
                }
                if policy.autoTiers.smallMax > policy.autoTiers.mediumMax {
                    throw r.error(value, path, "small_max_complexity must not exceed medium_max_complexity")
                }
            case "rules": policy.rules = try r.list(value, path) { item, p in try rule(item, p) }
            default: throw r.unknown(value, path)
            }
        }
        try crossCheck()
    }

    private func model(_ node: Node, _ path: String) throws -> String {
        let name = try r.string(node, path)
        guard catalog.price(for: name) != nil else {
            throw r.error(node, path, "model '\(name)' is not in the pricing catalog")
        }
        return name
    }

    private func models(_ node: Node, _ path: String) throws -> [String] {
        try r.list(node, path) { item, p in try model(item, p) }
    }

    private func providerList(_ node: Node, _ path: String) throws -> [String] {
        try r.list(node, path) { item, p in
            let name = try r.string(item, p)
            guard providers.contains(name) else {
                throw r.error(item, p, "no catalog model comes from provider '\(name)'; known: \(providers.sorted().joined(separator: ", "))")
            }
            return name
        }
    }

    private func tier(_ node: Node, _ path: String) throws -> ModelTier {
        let raw = try r.string(node, path)
        guard let tier = ModelTier(rawValue: raw) else { throw r.error(node, path, "unknown tier '\(raw)'; expected small, medium or large") }
        return tier
    }

    private func rule(_ node: Node, _ path: String) throws -> RouteRule {
        var name: String?, kind: String?, patterns: [String] = [], target: RouteRule.Target?
        var patternNode: Node?
        try r.object(node, path) { k, v, p in
            switch k {
            case "name": name = try r.string(v, p)
            case "match": kind = try r.string(v, p)
            case "pattern":
                patternNode = v
                patterns = v.sequence != nil ? try r.list(v, p) { item, ip in try r.string(item, ip) } : [try r.string(v, p)]
            case "route":
                let raw = try r.string(v, p)
                if let tier = ModelTier(rawValue: raw) { target = .tier(tier) } else { target = .model(try model(v, p)) }
            default: throw r.unknown(v, p)
            }
        }
        guard let target else { throw r.error(node, path + ".route", "every rule needs a route: a tier (small, medium, large) or a model") }
        guard let patternNode, !patterns.isEmpty, patterns.allSatisfy({ !$0.isEmpty }) else {
            throw r.error(node, path + ".pattern", "every rule needs a non-empty pattern")
        }
        let ruleName = name ?? "\(path)"
        switch kind {
        case "keyword":
            return RouteRule(name: ruleName, match: .keywords(patterns), target: target)
        case "regex":
            guard patterns.count == 1 else { throw r.error(patternNode, path + ".pattern", "a regex rule takes one pattern") }
            do { return try RouteRule.regex(name: ruleName, pattern: patterns[0], target: target) } catch {
                throw r.error(patternNode, path + ".pattern", "the regex does not compile: \(error.localizedDescription)")
            }
        default:
            throw r.error(node, path + ".match", "expected match: keyword or match: regex")
        }
    }

    /// Checks that need the whole file: contradictions and a policy that routes nowhere.
    private func crossCheck() throws {
        func line(_ key: String) -> Int? { nodes[key]?.mark?.line }
        func itemLine(_ key: String, _ index: Int) -> Int? {
            nodes[key]?.sequence.flatMap { index < $0.count ? Array($0)[index].mark?.line : nil } ?? line(key)
        }
        func entryLine(_ key: String, _ entry: String) -> Int? {
            nodes[key]?.mapping?.first(where: { $0.key.scalar?.string == entry })?.value.mark?.line ?? line(key)
        }
        if let both = policy.allowedModels?.intersection(policy.blockedModels).sorted().first {
            let index = nodes["blocked_models"]?.sequence?.firstIndex { $0.scalar?.string == both }
            throw ConfigError(file: r.file, line: index.flatMap { nodes["blocked_models"]?.sequence?[$0].mark?.line } ?? line("blocked_models"),
                              key: "blocked_models", reason: "'\(both)' is also in allowed_models")
        }
        var names = Set<String>()
        for (i, rule) in policy.rules.enumerated() {
            guard names.insert(rule.name).inserted else {
                throw ConfigError(file: r.file, line: itemLine("rules", i), key: "rules[\(i)].name", reason: "duplicate rule name '\(rule.name)'")
            }
            if case .model(let m) = rule.target, let price = catalog.price(for: m), let why = policy.denial(of: price) {
                throw ConfigError(file: r.file, line: itemLine("rules", i), key: "rules[\(i)].route", reason: "routes to '\(m)', which this policy blocks (\(why))")
            }
        }
        let usable = catalog.allPrices.filter { RoutePlanner.isChatModel($0) && policy.allows($0) }
        for (useCase, floor) in policy.minTier.sorted(by: { $0.key < $1.key }) where !usable.contains(where: { $0.tier >= floor }) {
            throw ConfigError(file: r.file, line: entryLine("min_tier", useCase), key: "min_tier.\(useCase)", reason: "no allowed model is \(floor.rawValue) tier or above")
        }
        if usable.isEmpty {
            throw ConfigError(file: r.file, line: nil, key: "allowed_models", reason: "the policy allows no chat model at all")
        }
    }
}
