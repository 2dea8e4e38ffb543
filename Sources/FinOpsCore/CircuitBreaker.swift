/// Per provider+model circuit breaker as a pure state machine: the caller passes `now`
/// (seconds on any monotonic clock), so it is tested without sleeping.
///
/// closed → open after `failureThreshold` consecutive failures, or when the failure ratio in the
/// rolling window reaches `failureRatio` over at least `minimumRequests`; open → half-open after
/// `openDuration`; half-open lets `halfOpenProbes` calls through: all succeed → closed, any
/// fails → open again (with the open time doubled, capped at `maxOpenDuration`).
public struct CircuitBreaker: Sendable, Equatable {
    public struct Settings: Sendable, Equatable {
        public var failureThreshold = 5
        public var failureRatio = 0.5
        public var minimumRequests = 20
        public var windowSeconds = 60.0
        public var openDuration = 30.0
        public var maxOpenDuration = 300.0
        public var halfOpenProbes = 1
        public init() {}
    }

    public enum State: String, Sendable, Equatable {
        case closed, open, halfOpen = "half_open"
        /// 0 closed, 1 half-open, 2 open: the gauge value in /metrics.
        public var gaugeValue: Double {
            switch self { case .closed: 0; case .halfOpen: 1; case .open: 2 }
        }
    }

    public let settings: Settings
    public private(set) var state: State = .closed
    private var consecutiveFailures = 0
    /// Outcomes in the rolling window, in 10 time buckets: constant memory and O(1) per call
    /// however many requests a second go through.
    private var window = OutcomeWindow()
    private var openedAt = 0.0
    private var currentOpenDuration: Double
    private var probesInFlight = 0
    private var probeSuccesses = 0

    public init(settings: Settings = Settings()) {
        self.settings = settings
        currentOpenDuration = settings.openDuration
    }

    public static func == (a: CircuitBreaker, b: CircuitBreaker) -> Bool {
        a.state == b.state && a.consecutiveFailures == b.consecutiveFailures && a.openedAt == b.openedAt
    }

    /// Whether a call may go to this provider now. In half-open, each `true` reserves a probe
    /// slot, so the caller must report the call's outcome.
    public mutating func allowRequest(now: Double) -> Bool {
        switch state {
        case .closed:
            return true
        case .open:
            guard now - openedAt >= currentOpenDuration else { return false }
            state = .halfOpen
            probesInFlight = 0
            probeSuccesses = 0
            fallthrough
        case .halfOpen:
            guard probesInFlight < settings.halfOpenProbes else { return false }
            probesInFlight += 1
            return true
        }
    }

    /// Seconds until an open breaker lets a probe through (0 when not open).
    public func retryAfter(now: Double) -> Double {
        state == .open ? max(0, openedAt + currentOpenDuration - now) : 0
    }

    public mutating func recordSuccess(now: Double) {
        switch state {
        case .closed:
            consecutiveFailures = 0
            window.record(now: now, failed: false, span: settings.windowSeconds)
        case .halfOpen:
            probeSuccesses += 1
            probesInFlight = max(0, probesInFlight - 1)
            if probeSuccesses >= settings.halfOpenProbes {
                state = .closed
                consecutiveFailures = 0
                window = OutcomeWindow()
                currentOpenDuration = settings.openDuration
            }
        case .open:
            break  // a straggler from before the breaker opened
        }
    }

    /// A call that says nothing about the provider's health (the client's bad request, a
    /// cancellation): it frees a half-open probe slot without moving the state.
    public mutating func recordNeutral() {
        if state == .halfOpen { probesInFlight = max(0, probesInFlight - 1) }
    }

    public mutating func recordFailure(now: Double) {
        switch state {
        case .closed:
            consecutiveFailures += 1
            window.record(now: now, failed: true, span: settings.windowSeconds)
            let (total, failures) = window.totals(now: now, span: settings.windowSeconds)
            let ratioTripped = total >= settings.minimumRequests
                && Double(failures) / Double(total) >= settings.failureRatio
            if consecutiveFailures >= settings.failureThreshold || ratioTripped {
                open(now: now, duration: settings.openDuration)
            }
        case .halfOpen:
            open(now: now, duration: min(currentOpenDuration * 2, settings.maxOpenDuration))
        case .open:
            break
        }
    }

    private mutating func open(now: Double, duration: Double) {
        state = .open
        openedAt = now
        currentOpenDuration = duration
        probesInFlight = 0
        window = OutcomeWindow()
    }
}

/// Success/failure counts over a rolling time span, kept in 10 buckets of span/10 each.
struct OutcomeWindow: Sendable, Equatable {
    static let buckets = 10
    private var starts = [Double](repeating: -.infinity, count: buckets)
    private var totals = [Int](repeating: 0, count: buckets)
    private var failures = [Int](repeating: 0, count: buckets)

    mutating func record(now: Double, failed: Bool, span: Double) {
        let width = span / Double(Self.buckets)
        let slot = Int((now / width).rounded(.down))
        let i = ((slot % Self.buckets) + Self.buckets) % Self.buckets
        let start = Double(slot) * width
        if starts[i] != start {
            starts[i] = start
            totals[i] = 0
            failures[i] = 0
        }
        totals[i] += 1
        if failed { failures[i] += 1 }
    }

    func totals(now: Double, span: Double) -> (total: Int, failures: Int) {
        var t = 0, f = 0
        for i in 0..<Self.buckets where starts[i] > now - span {
            t += totals[i]
            f += failures[i]
        }
        return (t, f)
    }
}
