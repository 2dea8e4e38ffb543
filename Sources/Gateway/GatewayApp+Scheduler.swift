import FinOpsCore
import Foundation
import Scheduler

extension GatewayApp {
    /// One detection run as of `now`, then (if `deliver`) one pass over the notifications due:
    /// what `finops-router scheduler run-once` does, against the same store, budgets and
    /// destinations `serve` would use.
    /// The detection lease is given up afterwards, so a running `serve` is not held up.
    public func runSchedulerOnce(now: Date, deliver: Bool = true) async throws -> (SchedulerRunReport, DeliveryReport) {
        let run: SchedulerRunReport
        do {
            run = try await alerting.scheduler.runOnce(now: now)
        } catch {
            await alerting.scheduler.releaseLease()
            throw error
        }
        await alerting.scheduler.releaseLease()
        let delivered = deliver ? try await alerting.deliverer.deliverDue(now: now) : DeliveryReport()
        return (run, delivered)
    }

    /// For commands that built the app without starting it: stops the upstream loop and the
    /// spend controls' background work.
    public func close() async {
        loop.shutdown()
        await spend.stop()
    }
}
