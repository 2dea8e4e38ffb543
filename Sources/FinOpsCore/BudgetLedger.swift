/// Reserve-then-settle budget accounting as a pure value: the in-memory state store and the
/// local fail-open fallback use it directly, and the Redis Lua script implements the same rules.
///
/// A reservation is checked against every enforced limit it touches and either applied to all
/// of its counters or to none, so requests racing for the last dollars cannot all pass: spend
/// (reservations included) never exceeds an enforced limit, and after settling it exceeds it
/// only by what calls cost beyond their estimate.
public struct BudgetLedger: Sendable {
    /// One counter per budget and window; `expires` is seconds on the caller's clock.
    struct Counter: Sendable {
        var spent: Int64
        var expires: Double
    }

    public struct Line: Sendable, Equatable {
        /// Counter key, window included (`finops:{acme}:budget:team:search:m2026-11`).
        public var key: String
        /// nil: counted but never refused (alert-only or downgraded budgets).
        public var limit: Money?
        public var ttlSeconds: Int
        public init(key: String, limit: Money?, ttlSeconds: Int) {
            self.key = key
            self.limit = limit
            self.ttlSeconds = ttlSeconds
        }
    }

    public enum Outcome: Sendable, Equatable {
        /// Applied; spend of each line before this reservation, in line order.
        case reserved(before: [Money])
        /// Nothing applied: line `index` would go past its limit; `spent` is its spend so far.
        case refused(index: Int, spent: Money)
    }

    private var counters: [String: Counter] = [:]
    private var operations = 0

    public init() {}

    public mutating func reserve(_ lines: [Line], amount: Money, now: Double) -> Outcome {
        sweep(now: now)
        for (i, line) in lines.enumerated() {
            let spent = current(line.key, now: now)
            if let limit = line.limit, spent &+ amount.nanos > limit.nanos {
                return .refused(index: i, spent: Money(nanos: spent))
            }
        }
        var before: [Money] = []
        for line in lines {
            let spent = current(line.key, now: now)
            before.append(Money(nanos: spent))
            counters[line.key] = Counter(spent: spent &+ amount.nanos, expires: now + Double(line.ttlSeconds))
        }
        return .reserved(before: before)
    }

    /// Adds `delta` (actual cost minus reservation, often negative) to counters that still exist.
    public mutating func settle(keys: [String], delta: Money, now: Double) {
        for key in keys {
            guard var counter = counters[key], counter.expires > now else { continue }
            counter.spent &+= delta.nanos
            counters[key] = counter
        }
    }

    /// Adds spend without checking any limit (replaying what was served while the store was down).
    public mutating func add(key: String, amount: Money, ttlSeconds: Int, now: Double) {
        counters[key] = Counter(spent: current(key, now: now) &+ amount.nanos, expires: now + Double(ttlSeconds))
    }

    public func spent(_ key: String, now: Double) -> Money { Money(nanos: current(key, now: now)) }

    private func current(_ key: String, now: Double) -> Int64 {
        guard let c = counters[key], c.expires > now else { return 0 }
        return c.spent
    }

    /// Drops expired windows now and then, so finished days and months do not pile up.
    private mutating func sweep(now: Double) {
        operations += 1
        guard operations % 4096 == 0 else { return }
        counters = counters.filter { $0.value.expires > now }
    }

    /// Threshold percentages crossed when spend went from `before` to `after` under `limit`.
    /// Reservations are applied atomically, so each crossing is seen by exactly one request.
    public static func crossedThresholds(_ thresholds: [Int], before: Money, after: Money, limit: Money) -> [Int] {
        guard limit.nanos > 0 else { return [] }
        return thresholds.filter { t in
            let mark = limit.nanos.multipliedReportingOverflow(by: Int64(t)).partialValue / 100
            return before.nanos < mark && after.nanos >= mark
        }
    }
}
