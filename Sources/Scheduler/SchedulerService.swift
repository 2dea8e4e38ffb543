import FinOpsCore
import Foundation
import Logging
import ServiceLifecycle

/// The alert scheduler as a long-running `Service`: a detection loop (every
/// `scheduler.interval_seconds`, the first run a minute after start or one interval if that
/// is shorter) and a delivery loop (every `delivery_poll_seconds`, so a restarted process
/// sends what its predecessor left pending). Graceful shutdown cancels the waits and any call
/// in flight; a cancelled notification stays pending and goes out after its lease. Errors are
/// logged and the loops go on: a database outage delays alerts, it does not stop them.
public struct SchedulerService: Service {
    let scheduler: AlertScheduler
    let deliverer: AlertDeliverer
    let interval: Duration
    let firstRun: Duration
    let poll: Duration
    let logger: Logger
    let now: @Sendable () -> Date

    public init(scheduler: AlertScheduler, deliverer: AlertDeliverer, settings: SchedulerSettings, logger: Logger,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.scheduler = scheduler
        self.deliverer = deliverer
        interval = .seconds(settings.intervalSeconds)
        firstRun = .seconds(min(settings.intervalSeconds, 60))
        poll = .seconds(settings.deliveryPollSeconds)
        self.logger = logger
        self.now = now
    }

    public func run() async throws {
        logger.notice("alert scheduler started", metadata: ["interval": "\(interval)", "delivery_poll": "\(poll)",
                                                            "owner": "\(scheduler.owner)"])
        do {
            try await cancelWhenGracefulShutdown {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await detectionLoop() }
                    group.addTask { try await deliveryLoop() }
                    try await group.waitForAll()
                }
            }
        } catch is CancellationError {
            // Graceful shutdown or cancellation: nothing is lost (pending rows stay pending).
        }
        await scheduler.releaseLease()
        logger.notice("alert scheduler stopped")
    }

    private func detectionLoop() async throws {
        try await Task.sleep(for: firstRun)
        while true {
            do {
                let report = try await scheduler.runOnce(now: now())
                if report.leader {
                    logger.info("alert detection run", metadata: [
                        "raised": "\(report.raised.count)", "resolved": "\(report.resolved.count)",
                        "still_firing": "\(report.updated.count)", "scopes": "\(report.scopes)",
                    ])
                }
                // Notifications raised by this run go out now, not at the next poll.
                _ = try await deliverer.deliverDue(now: now())
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                logger.warning("alert detection run failed; retrying at the next interval", metadata: ["error": "\(error)"])
            }
            try await Task.sleep(for: interval)
        }
    }

    private func deliveryLoop() async throws {
        while true {
            try await Task.sleep(for: poll)
            do {
                _ = try await deliverer.deliverDue(now: now())
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                logger.warning("alert delivery pass failed; retrying at the next poll", metadata: ["error": "\(error)"])
            }
        }
    }
}
