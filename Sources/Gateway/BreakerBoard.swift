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
        let (allowed, state) = breakers.withLock { all -> (Bool, CircuitBreaker.State) in
            var b = all[key] ?? CircuitBreaker(settings: settings)
            let ok = b.allowRequest(now: t)
            all[key] = b
            return (ok, b.state)
        }
        report(key, state)
        return allowed
    }

    func record(_ key: String, success: Bool) {
        let t = now()
        let state = breakers.withLock { all -> CircuitBreaker.State in
            var b = all[key] ?? CircuitBreaker(settings: settings)
            if success { b.recordSuccess(now: t) } else { b.recordFailure(now: t) }
            all[key] = b
            return b.state
        }
        report(key, state)
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

    private func report(_ key: String, _ state: CircuitBreaker.State) {
        guard let metrics, let colon = key.firstIndex(of: ":") else { return }
        metrics.setCircuitState(provider: String(key[..<colon]), model: String(key[key.index(after: colon)...]), state.gaugeValue)
    }
}
