/// Everything `finops-router serve` can be told, with the defaults that make the first run
/// work: simulator provider, SQLite telemetry in ./finops-data, port 8080, no keys.
public struct RouterConfig: Sendable, Equatable {
    public struct Server: Sendable, Equatable {
        public var host = "0.0.0.0"
        public var port = 8080
        /// MHD polling threads (each an epoll loop; handlers never block them).
        public var threads = 2
        public var connectionLimit = 4096
        /// Larger request bodies are refused with 413.
        public var maxBodyBytes = 4 * 1024 * 1024
        /// On SIGTERM, in-flight requests and streams get this long to finish.
        public var drainTimeoutSeconds = 30
        public init() {}
    }

    public struct Telemetry: Sendable, Equatable {
        public var sqlitePath = "./finops-data/finops.sqlite"
        /// Rows waiting for the writer; past this the row is counted as dropped, never blocks.
        public var queueCapacity = 65_536
        public var batchSize = 512
        public var flushIntervalMs = 200
        /// PostgreSQL URL (`postgres://user@host:5432/db`); nil keeps SQLite at `sqlitePath`.
        /// Its password comes from PGPASSWORD or ~/.pgpass, never from the config file.
        public var databaseURL: String?
        /// Where the spill file goes while the store is unavailable; nil = next to `sqlitePath`.
        public var spillDirectory: String?
        public init() {}

        /// The spill directory in use: `spillDirectory`, or the SQLite file's directory.
        public var effectiveSpillDirectory: String {
            if let spillDirectory { return spillDirectory }
            guard let slash = sqlitePath.lastIndex(of: "/") else { return "." }
            return slash == sqlitePath.startIndex ? "/" : String(sqlitePath[..<slash])
        }
    }

    public enum ProviderKind: String, Sendable, Equatable, CaseIterable {
        case openAICompatible = "openai-compatible"
        case azureOpenAI = "azure-openai"
        case anthropic
        case bedrock
        case simulator
    }

    /// Shorthand kinds for well-known services: the wire format, base URL and key variable
    /// they imply (each can still be overridden in the provider entry).
    public struct Preset: Sendable, Equatable {
        public var kind: ProviderKind
        public var baseURL: String
        public var apiKeyEnv: String?

        public static let all: [String: Preset] = [
            "openai": Preset(kind: .openAICompatible, baseURL: "https://api.openai.com/v1", apiKeyEnv: "OPENAI_API_KEY"),
            "groq": Preset(kind: .openAICompatible, baseURL: "https://api.groq.com/openai/v1", apiKeyEnv: "GROQ_API_KEY"),
            "ollama": Preset(kind: .openAICompatible, baseURL: "http://127.0.0.1:11434/v1", apiKeyEnv: nil),
            "vllm": Preset(kind: .openAICompatible, baseURL: "http://127.0.0.1:8000/v1", apiKeyEnv: "VLLM_API_KEY"),
            "anthropic": Preset(kind: .anthropic, baseURL: "https://api.anthropic.com/v1", apiKeyEnv: "ANTHROPIC_API_KEY"),
            "azure-openai": Preset(kind: .azureOpenAI, baseURL: "", apiKeyEnv: "AZURE_OPENAI_API_KEY"),
            "bedrock": Preset(kind: .bedrock, baseURL: "", apiKeyEnv: nil),
        ]
    }

    public struct Provider: Sendable, Equatable {
        /// Appears in headers, telemetry and metrics (`openai`, `groq`, `ollama`, ...).
        public var name: String
        public var kind: ProviderKind
        /// e.g. `https://api.openai.com/v1`; requests go to `<base_url>/chat/completions`.
        public var baseURL: String = ""
        /// Name of the environment variable holding the API key; the key itself never appears in config.
        public var apiKeyEnv: String?
        /// Models this provider serves (must exist in the pricing catalog).
        public var models: [String] = []
        public var timeoutMs = 120_000
        public var connectTimeoutMs = 5_000
        /// Streams fail after this long without a byte.
        public var streamIdleTimeoutMs = 60_000
        /// Azure OpenAI: `api-version` query parameter.
        public var apiVersion = "2024-10-21"
        /// Azure OpenAI: model → deployment name (default: the model name).
        public var deployments: [String: String] = [:]
        /// Bedrock: AWS region, and the environment variables holding the credentials.
        public var region = "us-east-1"
        public var accessKeyEnv = "AWS_ACCESS_KEY_ID"
        public var secretKeyEnv = "AWS_SECRET_ACCESS_KEY"
        public var sessionTokenEnv = "AWS_SESSION_TOKEN"
        /// Bedrock: router model name → Bedrock model id.
        public var modelIDs: [String: String] = [:]
        /// Simulator: settings for this provider instead of the global `simulator` block
        /// (e.g. an outage on a primary only).
        public var simulator: Simulator?

        public init(name: String, kind: ProviderKind) {
            self.name = name
            self.kind = kind
        }
    }

    /// Fault and latency injection for the built-in fake provider.
    public struct Simulator: Sendable, Equatable {
        public struct Outage: Sendable, Equatable {
            /// nil = every simulated model.
            public var model: String?
            public var startAfterSeconds: Double
            public var durationSeconds: Double
            public init(model: String?, startAfterSeconds: Double, durationSeconds: Double) {
                self.model = model
                self.startAfterSeconds = startAfterSeconds
                self.durationSeconds = durationSeconds
            }
        }
        /// Time to first token: log-normal with this median and 95th percentile.
        public var latencyMedianMs = 350.0
        public var latencyP95Ms = 1200.0
        /// Output speed after the first token.
        public var tokensPerSecond = 120.0
        /// Share of calls answered 500 / 429.
        public var errorRate = 0.0
        public var rateLimitRate = 0.0
        public var outages: [Outage] = []
        public var seed: UInt64 = 42
        public init() {}
    }

    /// An ordered chain of provider:model deployments tried in turn when one fails.
    public struct FailoverGroup: Sendable, Equatable {
        public var name: String
        /// `provider:model` entries, primary first.
        public var chain: [(provider: String, model: String)]
        /// Requested model names that use this chain (the group's own name always does).
        public var models: [String]
        public init(name: String, chain: [(provider: String, model: String)], models: [String]) {
            self.name = name
            self.chain = chain
            self.models = models
        }
        public static func == (a: FailoverGroup, b: FailoverGroup) -> Bool {
            a.name == b.name && a.models == b.models && a.chain.map { "\($0.provider):\($0.model)" } == b.chain.map { "\($0.provider):\($0.model)" }
        }
    }

    public var server = Server()
    public var telemetry = Telemetry()
    /// Catalog file in our JSON format; nil = the built-in catalog.
    public var pricingFile: String?
    public var providers: [Provider] = []
    public var simulator = Simulator()
    /// Attribution when the request carries no team header.
    public var defaultTeam = "default"
    public var org = "default"
    /// Alias → model, e.g. `fast: gpt-4o-mini`.
    public var aliases: [String: String] = [:]
    public var failoverGroups: [FailoverGroup] = []
    /// Folder of per-team policy files (`<team>.yaml`); nil = every team routed by the open
    /// default policy (auto strategy over every model).
    public var policiesDirectory: String?
    /// Teams whose identical concurrent non-streaming requests share one upstream call
    /// (a request can also opt in with `X-FinOps-Dedup: on`).
    public var dedupTeams: [String] = []
    public var retry = RetryPolicy()
    public var circuitBreaker = CircuitBreaker.Settings()
    /// Shared state, virtual keys, budgets, rate limits, guardrails, cache.
    public var spend = SpendControls()
    /// `metrics:` label vocabulary and budget-gauge refresh; `alert_rules:` thresholds of the generated rules.
    public var metrics = MetricsSettings()
    public var alertRules = AlertRuleSettings()
    /// The alert scheduler (`scheduler:`) and where its alerts are sent (`notifications:`).
    public var scheduler = SchedulerSettings()
    public var notifications = NotificationSettings()
    /// The executive dashboard: where its templates are, how often pages refresh.
    public var dashboard = DashboardSettings()

    public init() {}

    /// The configuration used when no file is given: the simulator serves every catalog model;
    /// `OPENAI_API_KEY` / `OPENAI_BASE_URL` add an OpenAI-compatible provider for OpenAI's models.
    public static func embeddedDefaults(environment: [String: String], catalog: PricingCatalog) -> RouterConfig {
        var config = RouterConfig()
        if environment["OPENAI_API_KEY"] != nil || environment["OPENAI_BASE_URL"] != nil {
            var openai = Provider(name: "openai", kind: .openAICompatible)
            openai.baseURL = environment["OPENAI_BASE_URL"] ?? "https://api.openai.com/v1"
            openai.apiKeyEnv = "OPENAI_API_KEY"
            openai.models = catalog.models.filter { catalog.price(for: $0)?.provider == "openai" }
            config.providers.append(openai)
        }
        config.providers.append(Provider(name: "simulator", kind: .simulator))
        return config
    }
}
