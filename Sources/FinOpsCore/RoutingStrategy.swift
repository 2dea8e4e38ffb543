import Foundation

/// How the router picks a model for a request. Team rules (`RouteRule`) are checked before
/// any of these except `fixed`.
public enum RoutingStrategy: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Cheapest allowed model at or above the policy's minimum tier for the use case.
    case costFirst = "cost-first"
    /// Best tier, then lowest observed latency (EWMA), unhealthy models last.
    case performanceFirst = "performance-first"
    /// Complexity score → tier (`AutoTierThresholds`), cheapest model of that tier.
    case auto
    /// Cheapest tier first; the caller steps up a tier when `CascadePolicy` says so.
    case cascade
    /// Exactly the model the client named (after alias resolution).
    case fixed

    public var description: String { rawValue }

    /// The model-name prefix that asks for a strategy: `router/auto`, `router/cost-first`, ….
    public static let modelPrefix = "router/"

    /// Which strategy a request asked for, and the model when it is `fixed`.
    public struct Selection: Sendable, Equatable {
        public var strategy: RoutingStrategy
        /// The concrete model for `fixed`; nil for every routed strategy.
        public var fixedModel: String?
        /// Where the choice came from, for the route reason: `model`, `header` or `team-default`.
        public var source: String
    }

    /// Precedence: a `router/<strategy>` model name, then the `X-FinOps-Strategy` header, then a
    /// concrete model (fixed), then the team default (model `router` or `router/default`).
    /// A concrete model with a strategy header is routed: SDKs that insist on a real model
    /// name can still opt in. Unknown strategy names are errors, never silently ignored.
    public static func select(requestedModel: String, header: String?, teamDefault: RoutingStrategy) throws(RouteError) -> Selection {
        let model = trimmed(requestedModel)
        if model.hasPrefix(modelPrefix) {
            let name = String(model.dropFirst(modelPrefix.count))
            if name == "default" { return Selection(strategy: teamDefault, fixedModel: nil, source: "team-default") }
            return Selection(strategy: try routed(name, from: "model '\(model)'"), fixedModel: nil, source: "model")
        }
        if let header = header.map(trimmed), !header.isEmpty {
            let name = header.hasPrefix(modelPrefix) ? String(header.dropFirst(modelPrefix.count)) : header
            if name == "default" { return Selection(strategy: teamDefault, fixedModel: nil, source: "team-default") }
            return Selection(strategy: try routed(name, from: "header X-FinOps-Strategy"), fixedModel: nil, source: "header")
        }
        if model == "router" || model.isEmpty {
            return Selection(strategy: teamDefault, fixedModel: nil, source: "team-default")
        }
        return Selection(strategy: .fixed, fixedModel: model, source: "model")
    }

    /// Foundation's trimming costs a microsecond even when there is nothing to trim; this is
    /// the common case, decided on the first and last UTF-8 bytes (non-ASCII ones may be
    /// Unicode spaces and take the slow path).
    private static func trimmed(_ s: String) -> String {
        guard let first = s.utf8.first, let last = s.utf8.last else { return s }
        @inline(__always) func plain(_ c: UInt8) -> Bool { c < 0x80 && c != 0x20 && (c < 0x09 || c > 0x0D) }
        if plain(first) && plain(last) { return s }
        guard s.first?.isWhitespace == true || s.last?.isWhitespace == true else { return s }
        return s.trimmingCharacters(in: .whitespaces)
    }

    /// A strategy the router can apply without a named model (everything but `fixed`).
    private static func routed(_ name: String, from place: @autoclosure () -> String) throws(RouteError) -> RoutingStrategy {
        // Names are usually lower-case already; lower-casing builds a new string.
        guard let strategy = RoutingStrategy(rawValue: name) ?? RoutingStrategy(rawValue: name.lowercased()), strategy != .fixed else {
            let known = allCases.filter { $0 != .fixed }.map(\.rawValue).joined(separator: ", ")
            throw RouteError(.unknownStrategy, "unknown routing strategy '\(name)' in \(place()); expected one of \(known), or default")
        }
        return strategy
    }
}
