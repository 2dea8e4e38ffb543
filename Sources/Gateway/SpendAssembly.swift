import FinOpsCore
import Foundation
import Logging
import Observability
import Storage

/// Builds the spend controls from config: the state store (memory, or Redis with a local
/// fallback ledger), key and budget directories, the guard, the cache, the gate and the
/// admin API.
struct SpendAssembly: Sendable {
    let store: any StateStore
    let gate: RequestGate
    let admin: AdminAPI
    let budgets: BudgetDirectory
    let keys: VirtualKeyDirectory
    let budgetGauges: BudgetGauges
    private let background = BackgroundTasks()

    init(config: RouterConfig, registry: ModelRegistry, environment: [String: String], metrics: RouterMetrics,
         logger: Logger, uptime: @escaping @Sendable () -> Double) throws {
        let spend = config.spend
        let wallClock: @Sendable () -> Double = { Date().timeIntervalSince1970 }
        let local: (any StateStore)?
        if let url = spend.state.redisURL {
            guard let endpoint = RedisPool.Endpoint.parse(url) else {
                throw ConfigError(file: "state.redis_url", line: nil, key: "state.redis_url", reason: "expected redis://host:port[/db]")
            }
            store = RedisStateStore(endpoint: endpoint, poolSize: spend.state.poolSize, timeoutMs: spend.state.timeoutMs)
            local = try MemoryStateStore(now: wallClock, maxCacheEntries: 1)
        } else {
            let path = spend.state.recordsPath ?? URL(fileURLWithPath: config.telemetry.sqlitePath)
                .deletingLastPathComponent().appendingPathComponent("admin-state.json").path
            store = try MemoryStateStore(now: wallClock, maxCacheEntries: spend.cache.maxEntries, recordsPath: path)
            local = nil
        }
        keys = VirtualKeyDirectory(store: store, cacheSeconds: spend.auth.keyCacheSeconds, now: uptime)
        budgets = BudgetDirectory(configured: spend.budgets, store: store, refreshSeconds: spend.auth.keyCacheSeconds, now: uptime)
        gate = RequestGate(controls: spend, keys: keys, budgets: budgets,
                           spend: SpendGuard(primary: store, local: local, clock: uptime, metrics: metrics, logger: logger),
                           cache: ResponseCache(store: store, settings: spend.cache, metrics: metrics, logger: logger),
                           registry: registry, metrics: metrics, logger: logger)
        budgetGauges = BudgetGauges(budgets: budgets, store: store, org: config.org, metrics: metrics,
                                    interval: .milliseconds(Int64(config.metrics.budgetRefreshSeconds * 1000)))
        admin = AdminAPI(token: environment["FINOPS_ADMIN_TOKEN"], org: config.org, keys: keys, budgets: budgets,
                         configured: spend.budgets, store: store, logger: logger)
    }

    /// Starts the background loops (the semantic-cache feed reader, the budget gauges).
    func start() {
        let cache = gate.cache
        background.add(Task { await cache.runFeed() })
        let gauges = budgetGauges
        background.add(Task { await gauges.run() })
    }

    /// Cancels the background loops and waits for them; then closes the Redis pool.
    func stop() async {
        await background.cancelAll()
        (store as? RedisStateStore)?.shutdown()
    }

    /// Start-up facts for the log: auth mode, state store, what is limited.
    func describe(_ spend: SpendControls) -> Logger.Metadata {
        [
            "auth": "\(spend.auth.mode == .open ? "open mode (no key required; fr- keys honoured when sent)" : "virtual keys required")",
            "state": "\(store.label)",
            "budgets": "\(spend.budgets.count)",
            "cache": "\(spend.cache.enabled ? (spend.cache.semantic ? "exact+semantic" : "exact") : "off")",
            "admin_api": "\(admin.token?.isEmpty == false ? "on" : "off (set FINOPS_ADMIN_TOKEN)")",
        ]
    }
}
