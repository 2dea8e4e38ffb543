import Dashboard
import FinOpsCore
import Foundation
import HTTPServer
import Logging
import Observability
import Storage
import Upstream

public enum FinOpsRouterVersion {
    public static let current = "0.1.0"
}

/// The running router: HTTP server, upstream loop, providers, telemetry writer and metrics,
/// wired from one `RouterConfig`. `serve` and the integration tests both use it.
public final class GatewayApp: Sendable {
    public let config: RouterConfig
    public let metrics: RouterMetrics
    let server: HTTPServer
    let loop: CurlMultiLoop
    let writer: TelemetryWriter
    let store: any TelemetryStore
    let telemetryLocation: TelemetryStoreLocation
    let registry: ModelRegistry
    public let breakers: BreakerBoard
    let routing: RoutingStage
    let logger: Logger
    let draining = DrainFlag()
    let spend: SpendAssembly
    /// Every budget in force with its spend and forecast (dashboard, scheduler).
    public let budgetStatus: any BudgetStatusSource
    /// The alert scheduler (detection, delivery) and its Service.
    let alerting: SchedulerAssembly

    public init(config: RouterConfig, catalog: PricingCatalog, environment: [String: String], logger: Logger,
                store: (any TelemetryStore)? = nil) throws {
        self.config = config
        self.logger = logger
        loop = CurlMultiLoop(logger: logger)
        // The loop's thread is running now: a failure below must stop it, or it outlives the
        // half-built app (and reads a freed loop once that is released).
        do {
            let started = ContinuousClock.now
            let uptime: @Sendable () -> Double = { started.elapsedSeconds }
            let providers = ProviderFactory.make(config: config, environment: environment, loop: loop, uptime: uptime, logger: logger)
            registry = ModelRegistry(config: config, catalog: catalog, providers: providers)
            let groupNames = registry.groupNames
            let policies = try config.policiesDirectory.map { try PolicyLoader.loadDirectory($0, catalog: catalog, failoverGroups: groupNames) } ?? TeamPolicies()
            metrics = RouterMetrics(labels: Self.labelVocabulary(config, registry: registry, policyTeams: policies.teams),
                                    telemetryQueueCapacity: config.telemetry.queueCapacity)
            breakers = BreakerBoard(settings: config.circuitBreaker, now: uptime, metrics: metrics)
            routing = RoutingStage(registry: registry, catalog: catalog, policies: policies, policiesDirectory: config.policiesDirectory)
            telemetryLocation = TelemetryStoreLocation(databaseURL: config.telemetry.databaseURL,
                                                       sqlitePath: config.telemetry.sqlitePath)
            self.store = try store ?? telemetryLocation.open()
            let spill = try SpillFile(directory: config.telemetry.effectiveSpillDirectory, logger: logger)
            writer = TelemetryWriter(store: self.store, spill: spill, capacity: config.telemetry.queueCapacity,
                                     batchSize: config.telemetry.batchSize,
                                     flushInterval: .milliseconds(config.telemetry.flushIntervalMs), logger: logger)
            var serverConfig = HTTPServer.Configuration()
            serverConfig.host = config.server.host
            serverConfig.port = UInt16(config.server.port)
            serverConfig.threads = config.server.threads
            serverConfig.connectionLimit = config.server.connectionLimit
            serverConfig.maxBodyBytes = config.server.maxBodyBytes
            let metrics = self.metrics
            spend = try SpendAssembly(config: config, registry: registry, environment: environment, metrics: metrics,
                                      logger: logger, uptime: uptime)
            budgetStatus = BudgetStatusBoard(budgets: spend.budgets, keys: spend.keys, state: spend.store,
                                             telemetry: self.store, org: config.org)
            alerting = try SchedulerAssembly(config: config, store: self.store, budgets: budgetStatus, loop: loop, metrics: metrics,
                                             environment: environment, logger: logger)
            let inFlightBox = InFlightSource()
            let routes = Routes(
                chat: ChatCompletions(format: OpenAIChatFormat(), registry: registry, routing: routing,
                                      caller: FailoverCaller(breakers: breakers, retry: config.retry, metrics: metrics),
                                      dedupTeams: Set(config.dedupTeams),
                                      telemetry: TelemetrySink(writer: writer, logger: logger),
                                      metrics: metrics, logger: logger, org: config.org, defaultTeam: config.defaultTeam,
                                      gate: spend.gate),
                registry: registry, metrics: metrics, writer: writer, store: self.store, loop: loop,
                draining: draining, providerNames: config.providers.map(\.name), inFlight: inFlightBox, breakers: breakers,
                adminAuth: AdminAuth(token: environment["FINOPS_ADMIN_TOKEN"]),
                reloadPolicies: { [routing, logger, metrics] in
                    let teams = try routing.reload()
                    metrics.labels.setTeams(config.metricTeams(policyTeams: teams))
                    logger.notice("policies reloaded", metadata: ["teams": "\(teams.joined(separator: ","))"])
                    return teams
                },
                admin: spend.admin,
                dashboard: try DashboardAssembly.make(config: config, store: self.store, budgets: budgetStatus,
                                                      environment: environment, logger: logger))
            server = HTTPServer(configuration: serverConfig, router: routes.router(), logger: logger,
                                onRejected: { status in metrics.recordRejected(reason: "request_too_large", httpStatus: status) })
            inFlightBox.server = server
        } catch {
            loop.shutdown()
            throw error
        }
    }

    public var port: UInt16 { server.port }

    /// Requests received and not yet completed, open streams included.
    public var inFlightRequests: Int { server.inFlight }

    /// The telemetry writer's counters (queued, written, spilled, dropped).
    public var telemetryStats: TelemetryWriterStats { writer.stats }

    public func start() throws {
        writer.start()
        spend.start()
        try server.start()
        alerting.start()
        logger.notice("finops-router listening", metadata: [
            "address": "\(config.server.host):\(server.port)",
            "providers": "\(config.providers.map { "\($0.name)(\($0.kind.rawValue))" }.joined(separator: ","))",
            "models": "\(registry.models.count)",
            "telemetry": "\(telemetryLocation)",
            "spill": "\(config.telemetry.effectiveSpillDirectory)",
        ].merging(spend.describe(config.spend)) { a, _ in a }.merging(alerting.describe(config)) { a, _ in a })
    }

    /// With the in-memory state store (one replica, no Redis), budget counters would start at
    /// zero after every restart although this month's spend is in the telemetry store: puts it
    /// back, so a budget is not reset by a restart. Redis keeps its counters; nothing to do there.
    /// Call once after `start()` (`serve` and `demo` do); calls served meanwhile count once.
    public func restoreBudgetCounters(now: Date = Date()) async {
        guard spend.store is MemoryStateStore, let board = budgetStatus as? BudgetStatusBoard else { return }
        do {
            let (counters, total) = try await board.restoreCounters(at: now)
            if counters > 0 {
                logger.notice("budget counters restored from telemetry (in-memory state)",
                              metadata: ["counters": "\(counters)", "spent_usd": "\(total.decimalString)"])
            }
        } catch {
            logger.warning("budget counters not restored from telemetry; budgets count from zero until the store answers",
                           metadata: ["error": "\(error)"])
        }
    }

    /// Re-reads the team policies (SIGHUP, POST /admin/reload). On an invalid file the policies
    /// in force stay and the error (file, line, key) is returned.
    @discardableResult
    public func reloadPolicies() throws -> [String] {
        let teams = try routing.reload()
        metrics.labels.setTeams(config.metricTeams(policyTeams: teams))
        logger.notice("policies reloaded", metadata: ["teams": "\(teams.joined(separator: ","))"])
        return teams
    }

    /// Reads the budgets in force and their spend into the `finops_router_budget_*` gauges now
    /// (a background loop does it every `metrics.budget_refresh_seconds`).
    public func refreshBudgetMetrics() async {
        await spend.budgetGauges.refresh()
    }

    /// Graceful stop: refuse new work (readyz goes 503), drain in-flight requests and streams,
    /// stop the upstream loop, then flush every queued telemetry row.
    public func shutdown() async {
        draining.set()
        await server.shutdown(drainTimeout: .seconds(config.server.drainTimeoutSeconds))
        await alerting.stop()
        loop.shutdown()
        await spend.stop()
        if !writer.shutdown(timeout: .seconds(10)) {
            logger.error("telemetry writer did not flush every row before exit", metadata: ["queued": "\(writer.stats.queued)"])
        }
        let stats = writer.stats
        logger.notice("finops-router stopped", metadata: [
            "rows_written": "\(stats.written)", "rows_dropped": "\(stats.dropped)",
            "rows_spilled": "\(stats.spilled)", "spill_pending_rows": "\(stats.spillPendingRows)",
        ])
    }
}

/// Lets /metrics read the server's in-flight count (the server is built after the routes).
final class InFlightSource: @unchecked Sendable {
    // Written once during init, before the server starts; read-only afterwards.
    weak var server: HTTPServer?
    var count: Int { server?.inFlight ?? 0 }
}

/// Set once shutdown starts; readiness reports it so load balancers stop sending traffic.
final class DrainFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    func set() { flag.store(true, ordering: .relaxed) }
    var isSet: Bool { flag.load(ordering: .relaxed) }
}

import Synchronization
