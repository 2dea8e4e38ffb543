import FinOpsCore
import Observability
import Upstream

/// Runs one call down a failover chain: skips deployments whose breaker is open, retries a
/// retryable failure on the same deployment with full-jitter backoff (or the provider's
/// Retry-After), then moves to the next deployment — all within the retry policy's deadline.
/// Never retries or fails over a client error (400) or bad credentials.
struct FailoverCaller: Sendable {
    struct Outcome<T: Sendable>: Sendable {
        var result: Result<(ModelRoute, T), ProviderError>
        /// `provider:model:outcome` for every attempt, in order.
        var attempts: [String]
        /// A deployment other than the chain's first answered.
        var failedOver: Bool
        /// What made the call leave its first deployment (empty when nothing did).
        var firstErrorKind: String
    }

    let breakers: BreakerBoard
    let retry: RetryPolicy
    let metrics: RouterMetrics?
    var sleep: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    var random: @Sendable () -> Double = { Double.random(in: 0..<1) }

    func run<T: Sendable>(_ chain: [ModelRoute], _ call: @Sendable (ModelRoute) async throws(ProviderError) -> T) async -> Outcome<T> {
        let deadline = breakers.now() + retry.totalDeadline
        var attempts: [String] = []
        var lastError: ProviderError?
        var firstErrorKind = ""
        for (index, route) in chain.enumerated() {
            guard breakers.allow(route.key) else {
                metrics?.recordAttempt(provider: route.provider.name, model: route.model, result: "circuit_open")
                attempts.append("\(route.key):circuit_open")
                if firstErrorKind.isEmpty { firstErrorKind = "circuit_open" }
                continue
            }
            var attempt = 1
            while true {
                do {
                    let value = try await call(route)
                    breakers.record(route.key, success: true)
                    metrics?.recordAttempt(provider: route.provider.name, model: route.model, result: "ok")
                    attempts.append("\(route.key):ok")
                    return Outcome(result: .success((route, value)), attempts: attempts,
                                   failedOver: index > 0, firstErrorKind: index > 0 ? firstErrorKind : "")
                } catch {
                    metrics?.recordAttempt(provider: route.provider.name, model: route.model, result: error.kind.rawValue)
                    attempts.append("\(route.key):\(error.kind.rawValue)")
                    if firstErrorKind.isEmpty { firstErrorKind = error.kind.rawValue }
                    lastError = error
                    if Self.countsAgainstBreaker(error) {
                        breakers.record(route.key, success: false)
                    } else {
                        breakers.recordNeutral(route.key)
                    }
                    guard error.isRetryable else {
                        return Outcome(result: .failure(error), attempts: attempts, failedOver: false, firstErrorKind: firstErrorKind)
                    }
                    let remaining = deadline - breakers.now()
                    if attempt < retry.maxAttemptsPerProvider, !breakers.isOpen(route.key),
                       let wait = retry.delay(retry: attempt, retryAfter: error.retryAfter, unitRandom: random(), remaining: remaining) {
                        metrics?.recordRetry(provider: route.provider.name)
                        do { try await sleep(.milliseconds(Int64(wait * 1000))) } catch {
                            return Outcome(result: .failure(ProviderError(provider: route.provider.name, kind: .cancelled, message: "request cancelled")),
                                           attempts: attempts, failedOver: false, firstErrorKind: firstErrorKind)
                        }
                        attempt += 1
                        continue
                    }
                    if index < chain.count - 1 {
                        metrics?.recordFailover(fromProvider: route.provider.name, model: route.model, errorKind: error.kind.rawValue)
                    }
                    break
                }
            }
            if breakers.now() >= deadline { break }
        }
        let error = lastError ?? ProviderError(
            provider: chain.first?.provider.name ?? "none", kind: .unavailable,
            message: "every provider for this model is unavailable (circuit open); retry later",
            retryAfter: max(1, breakers.retryAfter(chain.map(\.key))))
        return Outcome(result: .failure(error), attempts: attempts, failedOver: false, firstErrorKind: firstErrorKind)
    }

    /// Provider-side trouble opens the breaker; a client's bad request or a cancelled call does not.
    static func countsAgainstBreaker(_ error: ProviderError) -> Bool {
        switch error.kind {
        case .badRequest, .cancelled, .streamInterrupted: return false
        default: return true
        }
    }
}
