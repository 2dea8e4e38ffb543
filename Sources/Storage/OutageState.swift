import Foundation
import Logging

/// Back-off and logging across one store outage: the first failure is logged, the recovery
/// is logged once, the delays double up to `maxBackoff`.
struct OutageState {
    let initialBackoff: TimeInterval
    var backoff: TimeInterval
    var retryAt = Date.distantPast
    var failures = 0

    init(initialBackoff: TimeInterval) {
        self.initialBackoff = initialBackoff
        backoff = initialBackoff
    }

    mutating func failed(_ error: any Error, logger: Logger, maxBackoff: TimeInterval, spillPath: String?, queued: Int) {
        failures += 1
        if failures == 1 {
            logger.error(spillPath == nil ? "telemetry write failed; retrying with backoff"
                                          : "telemetry store unavailable; spilling batches to disk until it is back",
                         metadata: ["error": "\(error)", "queued": "\(queued)", "spill": "\(spillPath ?? "none")"])
        }
        retryAt = Date() + backoff
        backoff = min(backoff * 2, maxBackoff)
    }

    mutating func succeeded(logger: Logger, spillPending: Int) {
        if failures > 0 {
            logger.notice("telemetry writes recovered", metadata: ["failedAttempts": "\(failures)", "spill_pending_rows": "\(spillPending)"])
        }
        failures = 0
        backoff = initialBackoff
        retryAt = .distantPast
    }
}
