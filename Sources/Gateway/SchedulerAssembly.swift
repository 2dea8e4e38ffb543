import FinOpsCore
import Foundation
import Logging
import Observability
import Scheduler
import ServiceLifecycle
import Storage
import Synchronization
import Upstream

/// Builds the alert scheduler from config (destinations' secrets from the environment) and
/// runs it as a Service in its own ServiceGroup, owned by the app: started with it, shut down
/// gracefully with it (before the upstream loop its notifications use).
final class SchedulerAssembly: Sendable {
    let scheduler: AlertScheduler
    let deliverer: AlertDeliverer
    private let group: ServiceGroup?
    private let running = Mutex<Task<Void, Never>?>(nil)
    private let logger: Logger

    init(config: RouterConfig, store: any TelemetryStore, budgets: any BudgetStatusSource, loop: CurlMultiLoop,
         metrics: RouterMetrics, environment: [String: String], logger: Logger) throws {
        let observer = SchedulerMetricsObserver(metrics: metrics)
        let destinations: [AlertDestination]
        do {
            destinations = try AlertDestination.resolve(config.notifications, environment: environment)
        } catch let error as SchedulerError {
            throw ConfigError(file: "notifications", line: nil, key: "notifications.destinations", reason: error.message)
        }
        scheduler = AlertScheduler(store: store, budgets: budgets, settings: config.scheduler, notifications: config.notifications,
                                   org: config.org, observer: observer, logger: logger)
        deliverer = AlertDeliverer(store: store, destinations: destinations, settings: config.notifications, loop: loop,
                                   observer: observer, logger: logger)
        self.logger = logger
        if config.scheduler.enabled {
            let service = SchedulerService(scheduler: scheduler, deliverer: deliverer, settings: config.scheduler, logger: logger)
            group = ServiceGroup(configuration: .init(services: [.init(service: service)], logger: logger))
        } else {
            group = nil
        }
    }

    /// Start-up facts for the log.
    func describe(_ config: RouterConfig) -> Logger.Metadata {
        let routes = AlertSeverity.allCases.compactMap { s in config.notifications.routes[s].map { "\(s.rawValue)→\($0.joined(separator: "+"))" } }
        return ["scheduler": "\(config.scheduler.enabled ? "every \(config.scheduler.intervalSeconds)s" : "off")",
                "alert_routes": "\(routes.isEmpty ? "none (alerts stored, not sent)" : routes.joined(separator: ","))"]
    }

    func start() {
        guard let group else { return }
        let logger = self.logger
        running.withLock {
            $0 = Task {
                do { try await group.run() } catch { logger.error("alert scheduler stopped with an error", metadata: ["error": "\(error)"]) }
            }
        }
    }

    /// Graceful shutdown: the loops stop waiting, a call in flight is cancelled (its delivery
    /// stays pending), and this returns once the service has ended.
    func stop() async {
        guard let group, let task = running.withLock({ t -> Task<Void, Never>? in defer { t = nil }; return t }) else { return }
        await group.triggerGracefulShutdown()
        await task.value
    }
}
