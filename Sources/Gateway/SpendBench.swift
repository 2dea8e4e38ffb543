import FinOpsCore
import Foundation
import Logging
import Observability
import Storage
import Upstream

/// Latency of the spend controls' hot paths, for `finops-router bench` and bench/spend.sh:
/// the budget + rate-limit check (three budget lines and two limiters in one atomic call), and
/// cache lookups (exact and semantic) against a cache filled with N entries.
public enum SpendBench {
    public struct Stats: Sendable, CustomStringConvertible {
        public var samples: [Double]   // microseconds, sorted
        init(_ raw: [Double]) { samples = raw.sorted() }
        public func quantile(_ q: Double) -> Double { samples.isEmpty ? 0 : samples[min(samples.count - 1, Int(Double(samples.count) * q))] }
        public var description: String {
            String(format: "n=%d p50=%.0fµs p90=%.0fµs p99=%.0fµs p99.9=%.0fµs max=%.0fµs", samples.count,
                   quantile(0.5), quantile(0.9), quantile(0.99), quantile(0.999), samples.last ?? 0)
        }
    }

    static func store(_ redisURL: String?, cacheEntries: Int) throws -> any StateStore {
        guard let redisURL else { return try MemoryStateStore(maxCacheEntries: cacheEntries) }
        guard let endpoint = RedisPool.Endpoint.parse(redisURL) else { throw AdminClient.Failure(status: 0, message: "bad redis URL \(redisURL)") }
        return RedisStateStore(endpoint: endpoint, poolSize: 4, timeoutMs: 50)
    }

    /// `concurrency` callers each run checks back to back (then settle, untimed).
    public static func spendCheck(redisURL: String?, iterations: Int, concurrency: Int) async throws -> Stats {
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let store = try store(redisURL, cacheEntries: 1)
        let clock = ContinuousClock.now
        let guardian = SpendGuard(primary: store, local: redisURL == nil ? nil : try MemoryStateStore(), clock: { clock.elapsedSeconds },
                                  metrics: RouterMetrics(), logger: logger)
        let run = UUID().uuidString.prefix(8)
        let window = BudgetPeriod.monthly.window(at: Date())
        let lines = [BudgetScope.org, .team, .key].map { scope in
            SpendGuard.Line(policy: BudgetPolicy(scope: scope, subject: "bench", period: .monthly, limit: Money(usd: 1e6)),
                            subject: "bench-\(run)", key: "finops:{bench}:budget:\(scope.rawValue):\(run):\(window.id)", window: window)
        }
        let limits = [("requests", "rpm", 100_000_000), ("tokens", "tpm", 1_000_000_000)].map { kind, suffix, limit in
            SpendGuard.Limit(scope: .team, subject: "bench", kind: kind,
                             check: RateCheck(key: "finops:{bench}:rate:team:\(run):\(suffix)", limiter: GCRA(limit: limit), cost: kind == "tokens" ? 1200 : 1))
        }
        let perWorker = max(1, iterations / max(1, concurrency))
        let samples = try await withThrowingTaskGroup(of: [Double].self) { group in
            for _ in 0..<max(1, concurrency) {
                group.addTask {
                    var out: [Double] = []
                    for i in 0..<(perWorker + 200) {
                        let start = ContinuousClock.now
                        let decision = await guardian.check(lines: lines, limits: limits, amount: Money(usd: 0.001), tokens: 1200, downgraded: false)
                        let micros = start.elapsedSeconds * 1e6
                        guard case .allowed(let r, _) = decision else { throw AdminClient.Failure(status: 0, message: "check refused: \(decision)") }
                        await guardian.settle(r, actual: Money(usd: 0.0008), actualTokens: 1100)
                        if i >= 200 { out.append(micros) }   // first 200: warm-up
                    }
                    return out
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        (store as? RedisStateStore)?.shutdown()
        return Stats(samples)
    }

    /// Fills the cache with `entries` answers, then times exact hits and semantic lookups.
    public static func cacheLookup(redisURL: String?, entries: Int, lookups: Int) async throws -> (exact: Stats, semantic: Stats, semanticHits: Int) {
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let store = try store(redisURL, cacheEntries: entries + 10)
        var settings = SpendControls.Cache()
        settings.enabled = true
        settings.semantic = true
        settings.maxEntries = entries + 10
        let cache = ResponseCache(store: store, settings: settings, metrics: RouterMetrics(), logger: logger)
        let team = "bench-\(UUID().uuidString.prefix(8))"
        // 4,096 made-up words from syllables: prompts as varied as real ones, reproducible.
        let syllables = ["ka", "lo", "mi", "zu", "te", "ra", "no", "vi", "pe", "shu", "gri", "dal", "mon", "fer", "tys", "qua"]
        let words = (0..<4096).map { n in (0..<3).map { syllables[(n >> (4 * $0)) & 15] }.joined() }
        func prompt(_ i: Int) -> String {
            var g = SplitMixBench(seed: UInt64(i))
            return "Question \(i): " + (0..<12).map { _ in words[Int(g.next() % UInt64(words.count))] }.joined(separator: " ") + "?"
        }
        func body(_ text: String) -> JSONValue {
            .object([("model", .string("gpt-4o-mini")), ("messages", .array([.object([("role", .string("user")), ("content", .string(text))])]))])
        }
        let result = ChatResult(body: Array(#"{"choices":[{"message":{"role":"assistant","content":"ok"}}]}"#.utf8), usage: TokenUsage(inputTokens: 20, outputTokens: 5), text: "ok")
        let workers = 16
        try await withThrowingTaskGroup(of: Void.self) { group in
            for w in 0..<workers {
                group.addTask {
                    for i in stride(from: w, to: entries, by: workers) {
                        let (_, slot) = await cache.lookup(team: team, model: "gpt-4o-mini", body: body(prompt(i)))
                        await cache.store(slot, result: result, usage: TokenUsage(inputTokens: 20, outputTokens: 5), cost: Money(nanos: 6000),
                                          model: "gpt-4o-mini", provider: "bench")
                    }
                }
            }
            try await group.waitForAll()
        }
        var exact: [Double] = [], semantic: [Double] = []
        var semanticHits = 0
        for n in 0..<lookups {
            let i = (n &* 7919) % entries
            var start = ContinuousClock.now
            let (hit, _) = await cache.lookup(team: team, model: "gpt-4o-mini", body: body(prompt(i)))
            exact.append(start.elapsedSeconds * 1e6)
            guard hit?.kind == "exact" else { throw AdminClient.Failure(status: 0, message: "expected an exact hit for entry \(i)") }
            // Same question, different spelling: no exact entry, found (or not) by similarity.
            start = ContinuousClock.now
            let (near, _) = await cache.lookup(team: team, model: "gpt-4o-mini", body: body(prompt(i).lowercased().replacingOccurrences(of: "?", with: "")))
            semantic.append(start.elapsedSeconds * 1e6)
            if near?.kind == "semantic" { semanticHits += 1 }
        }
        (store as? RedisStateStore)?.shutdown()
        return (Stats(exact), Stats(semantic), semanticHits)
    }
}

/// Deterministic prompt generator for the bench.
struct SplitMixBench {
    var state: UInt64
    init(seed: UInt64) { state = seed &* 0x9E3779B97F4A7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}
