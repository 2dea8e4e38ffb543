import Foundation

/// What to do after a failed notification attempt: retry with exponential backoff and
/// "equal jitter" (half the delay fixed, half random, so replicas retrying the same dead
/// webhook spread out but never hammer it), or give up. Pure: the random unit is passed in.
public struct DeliveryRetryPlan: Sendable, Equatable {
    public var maxAttempts: Int
    public var baseSeconds: Double
    public var maxSeconds: Double

    public init(maxAttempts: Int, baseSeconds: Double, maxSeconds: Double) {
        self.maxAttempts = maxAttempts; self.baseSeconds = baseSeconds; self.maxSeconds = maxSeconds
    }

    public init(_ settings: NotificationSettings) {
        self.init(maxAttempts: settings.maxAttempts, baseSeconds: settings.retryBaseSeconds, maxSeconds: settings.retryMaxSeconds)
    }

    /// Seconds before the next attempt after `attempts` failed ones (1-based):
    /// uniform in [cap/2, cap] with cap = min(max, base × 2^(attempts−1)).
    public func delay(afterAttempts attempts: Int, unitRandom: Double) -> Double {
        let cap = min(maxSeconds, baseSeconds * pow(2, Double(min(max(attempts - 1, 0), 30))))
        return cap / 2 + cap / 2 * min(max(unitRandom, 0), 1)
    }

    /// The outcome to record for an attempt that failed with `error` (safe text) after
    /// `attempts` attempts in all; `permanent` failures (the destination refused the request
    /// itself, e.g. 400/404) are not retried.
    public func outcome(afterAttempts attempts: Int, error: String, permanent: Bool, now: Date, unitRandom: Double) -> AlertDeliveryOutcome {
        if permanent || attempts >= maxAttempts { return .failed(error: error) }
        return .retry(at: now.addingTimeInterval(delay(afterAttempts: attempts, unitRandom: unitRandom)), error: error)
    }

    /// Whether an HTTP status is worth retrying: timeouts, rate limits and server errors.
    public static func isRetryable(status: Int) -> Bool { status == 408 || status == 429 || status >= 500 }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
