/// Configuration of everything that stands between a request and a provider call: shared
/// state, virtual keys, budgets, rate limits, guardrails and the response cache.
/// The defaults change nothing: open mode, in-memory state, no limits, cache off.
public struct SpendControls: Sendable, Equatable {
    public struct State: Sendable, Equatable {
        /// `redis://host:port[/db]`; nil = in-memory (one replica).
        public var redisURL: String?
        /// Per-command timeout (connect included) before the store counts as down.
        public var timeoutMs = 50
        /// Connections, each with its own thread.
        public var poolSize = 4
        /// Budgets that do not say otherwise: what to do while the store is unreachable.
        public var onFailure: StoreFailureMode = .open
        /// Where the in-memory store keeps virtual keys, budget overrides and the audit log;
        /// nil = `admin-state.json` next to the telemetry database.
        public var recordsPath: String?
        public init() {}
    }

    public enum AuthMode: String, Sendable, Equatable, CaseIterable {
        /// No key needed; `fr-` keys, when sent, are still verified and attribute the call.
        case open
        /// Every API call needs a valid, unrevoked virtual key.
        case keys
    }

    public struct Auth: Sendable, Equatable {
        public var mode: AuthMode = .open
        /// How long a replica trusts a key lookup; revocations on other replicas show up within it.
        public var keyCacheSeconds = 5.0
        public init() {}
    }

    /// Requests and tokens per minute; nil = unlimited.
    public struct RateLimit: Sendable, Equatable, Codable {
        public var requestsPerMinute: Int?
        public var tokensPerMinute: Int?
        public init(requestsPerMinute: Int? = nil, tokensPerMinute: Int? = nil) {
            self.requestsPerMinute = requestsPerMinute
            self.tokensPerMinute = tokensPerMinute
        }
        public var isEmpty: Bool { requestsPerMinute == nil && tokensPerMinute == nil }
    }

    public struct RateLimits: Sendable, Equatable {
        /// Per team; `teams` entries replace it for that team.
        public var team = RateLimit()
        public var teams: [String: RateLimit] = [:]
        /// Per virtual key, unless the key sets its own.
        public var key = RateLimit()
        public init() {}
        public func forTeam(_ team: String) -> RateLimit { teams[team] ?? self.team }
    }

    public struct Cache: Sendable, Equatable {
        public var enabled = false
        public var ttlSeconds = 3600
        /// Entries kept per replica in memory (the Redis store relies on TTLs and maxmemory).
        public var maxEntries = 100_000
        public var semantic = false
        public var similarityThreshold = 0.92
        public var dimensions = 256
        /// Teams that never use the cache.
        public var disabledTeams: [String] = []
        public init() {}
    }

    public var state = State()
    public var auth = Auth()
    public var budgets: [BudgetPolicy] = []
    public var rateLimits = RateLimits()
    public var guardrails = GuardrailPolicy()
    public var teamGuardrails: [String: GuardrailPolicy] = [:]
    public var cache = Cache()
    /// Output tokens assumed for a budget reservation when the request sets no `max_tokens`.
    public var defaultOutputTokens = 1024

    public init() {}

    public func guardrails(for team: String) -> GuardrailPolicy { teamGuardrails[team] ?? guardrails }
}
