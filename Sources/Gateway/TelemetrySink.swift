import FinOpsCore
import Foundation
import Logging
import Storage
import Synchronization

/// The request path's door to telemetry: never blocks, and a row that cannot be queued is
/// counted (in the writer's `dropped`, exported to /metrics) and logged loudly, at most once a
/// second so a full queue cannot flood the log.
final class TelemetrySink: Sendable {
    let writer: TelemetryWriter
    private let logger: Logger
    private let lastDropLog = Mutex<ContinuousClock.Instant?>(nil)

    init(writer: TelemetryWriter, logger: Logger) {
        self.writer = writer
        self.logger = logger
    }

    func record(_ row: TelemetryRecord) {
        if writer.enqueue(row) { return }
        let now = ContinuousClock.now
        let shouldLog = lastDropLog.withLock { last -> Bool in
            if let l = last, now - l < .seconds(1) { return false }
            last = now
            return true
        }
        if shouldLog {
            logger.error("telemetry queue full: dropping rows (see finops_router_telemetry_rows_dropped_total)",
                         metadata: ["request_id": "\(row.requestID)", "dropped_total": "\(writer.stats.dropped)"])
        }
    }
}
