import FinOpsCore
import Observability
import Synchronization

/// The circuit breakers of every provider:model, behind one lock. Time comes from the injected
/// clock so tests drive it without sleeping.
public final class BreakerBoard: Sendable {
    private let breakers = Mutex<[String: CircuitBreaker]>([:])
    private let settings: CircuitBreaker.Settings
    let now: @Sendable () -> Double
    private let metrics: RouterMetrics?

    public init(settings: CircuitBreaker.Settings, now: @escaping @Sendable () -> Double, metrics: RouterMetrics? = nil) {
        self.settings = settings
        self.now = now
        self.metrics = metrics
    }

    func allow(_ key: String) -> Bool {
        let t = now()
        let settings = self.settings
        let (allowed, state) = breakers.withLock { all -> (Bool, CircuitBreaker.State) in
            // Mutated in place: copying the breaker out and back would copy its buffers on every call.
            let ok = all[key, default: CircuitBreaker(settings: settings)].allowRequest(now: t)
            return (ok, all[key]!.state)
        }
        report(key, state)
        return allowed
    }

    func record(_ key: String, success: Bool) {
        let t = now()
        let settings = self.settings
        let state = breakers.withLock { all -> CircuitBreaker.State in
            if success {
                all[key, default: CircuitBreaker(settings: settings)].recordSuccess(now: t)
            } else {
                all[key, default: CircuitBreaker(settings: settings)].recordFailure(now: t)
            }
            return all[key]!.state
        }
        report(key, state)
    }

    /// Outcome that neither helps nor hurts (frees a half-open probe slot).
    func recordNeutral(_ key: String) {
        breakers.withLock { all in all[key]?.recordNeutral() }
    }

    /// Whether the breaker is open right now (no probe slot is taken).
    func isOpen(_ key: String) -> Bool {
        breakers.withLock { $0[key]?.state == .open }
    }

    /// Seconds until the soonest open breaker among `keys` admits a probe.
    func retryAfter(_ keys: [String]) -> Double {
        let t = now()
        return breakers.withLock { all in keys.compactMap { all[$0]?.retryAfter(now: t) }.min() ?? 0 }
    }

    /// provider:model → state, for /readyz.
    public var states: [(key: String, state: CircuitBreaker.State)] {
        breakers.withLock { all in all.map { ($0.key, $0.value.state) }.sorted { $0.key < $1.key } }
    }

    private let reported = Mutex<[String: CircuitBreaker.State]>([:])

    /// Updates the gauge only when the state changed (this runs twice per request).
    private func report(_ key: String, _ state: CircuitBreaker.State) {
        let changed = reported.withLock { r -> Bool in
            guard r[key] != state else { return false }
            r[key] = state
            return true
        }
        guard changed, let metrics, let colon = key.firstIndex(of: ":") else { return }
        metrics.setCircuitState(provider: String(key[..<colon]), model: String(key[key.index(after: colon)...]), state.gaugeValue)
    }
}
