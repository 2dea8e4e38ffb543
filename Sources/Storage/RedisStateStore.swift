import FinOpsCore
import Synchronization

/// `StateStore` on Redis through hiredis: budgets and rate limits in atomic Lua scripts
/// (`EVALSHA`, reloaded after `NOSCRIPT`), the cache as `GET`/`SET EX`, records as hashes and
/// logs as lists under `finops:`. Commands run on `RedisPool`'s threads with its timeout.
public final class RedisStateStore: StateStore {
    private let pool: RedisPool
    private let scripts = Mutex<[String: String]>([:])   // script text → SHA1 from SCRIPT LOAD

    public init(endpoint: RedisPool.Endpoint, poolSize: Int = 4, timeoutMs: Int = 50) {
        pool = RedisPool(endpoint: endpoint, size: poolSize, timeoutMs: timeoutMs)
    }

    deinit { pool.shutdown() }

    public var label: String { "redis \(pool.endpoint.host):\(pool.endpoint.port)" }

    public func shutdown() { pool.shutdown() }

    public func preflight(_ request: Preflight) async throws -> PreflightResult {
        var args = [String(request.rates.count), String(request.budgets.count), String(request.amount.nanos)]
        for r in request.rates {
            args += [String(r.limiter.emissionMs), String(r.limiter.periodMs), String(r.cost)]
        }
        for b in request.budgets { args += [b.limit.map { String($0.nanos) } ?? "-1", String(b.ttlSeconds)] }
        let keys = request.rates.map(\.key) + request.budgets.map(\.key)
        let reply = try await eval(RedisScripts.preflight, keys: keys, args: args)
        guard case .array(let items) = reply, let tag = items.first?.int else { throw Self.unexpected("preflight", reply) }
        switch tag {
        case 0:
            let n = request.rates.count
            guard items.count == 1 + 2 * n + request.budgets.count else { throw Self.unexpected("preflight", reply) }
            let decisions = (0..<n).map { i in
                GCRA.Decision(allowed: true, newTAT: 0, remaining: Int(items[1 + i].int ?? 0),
                              resetMs: items[1 + n + i].double ?? 0, retryAfterMs: 0)
            }
            let before = items[(1 + 2 * n)...].map { Money(nanos: $0.int ?? 0) }
            return .allowed(before: before, rates: decisions)
        case 1:
            guard items.count == 5, let index = items[1].int else { throw Self.unexpected("preflight", reply) }
            return .rateLimited(index: Int(index), decision: GCRA.Decision(
                allowed: false, newTAT: 0, remaining: Int(items[3].int ?? 0), resetMs: items[4].double ?? 0,
                retryAfterMs: items[2].double ?? 0))
        case 2:
            guard items.count == 3, let index = items[1].int else { throw Self.unexpected("preflight", reply) }
            return .overBudget(index: Int(index), spent: Money(nanos: items[2].int ?? 0))
        default:
            throw Self.unexpected("preflight", reply)
        }
    }

    public func settle(_ s: Settlement) async throws {
        guard !s.budgetKeys.isEmpty || !s.rates.isEmpty else { return }
        let args = [String(s.budgetKeys.count), String(s.delta.nanos)]
            + s.rates.map { String(Double($0.cost) * $0.limiter.emissionMs) }
        _ = try await eval(RedisScripts.settle, keys: s.budgetKeys + s.rates.map(\.key), args: args)
    }

    public func spent(_ keys: [String]) async throws -> [Money] {
        guard !keys.isEmpty else { return [] }
        let reply = try await command(["MGET"] + keys)
        guard case .array(let items) = reply else { throw Self.unexpected("MGET", reply) }
        return items.map { Money(nanos: $0.int ?? 0) }
    }

    public func addSpend(_ entries: [SpendAddition]) async throws {
        guard !entries.isEmpty else { return }
        let args = entries.flatMap { [String($0.amount.nanos), String($0.ttlSeconds)] }
        _ = try await eval(RedisScripts.addSpend, keys: entries.map(\.key), args: args)
    }

    public func cacheGet(_ key: String) async throws -> String? {
        if case .string(let s) = try await command(["GET", key]) { return s }
        return nil
    }

    public func cacheSet(_ key: String, _ value: String, ttlSeconds: Int) async throws {
        _ = try await command(["SET", key, value, "EX", String(max(1, ttlSeconds))])
    }

    public func recordPut(_ collection: String, id: String, json: String) async throws {
        _ = try await command(["HSET", "finops:records:\(collection)", id, json])
    }

    public func recordDelete(_ collection: String, id: String) async throws {
        _ = try await command(["HDEL", "finops:records:\(collection)", id])
    }

    public func recordGet(_ collection: String, id: String) async throws -> String? {
        if case .string(let s) = try await command(["HGET", "finops:records:\(collection)", id]) { return s }
        return nil
    }

    public func recordAll(_ collection: String) async throws -> [String: String] {
        guard case .array(let items) = try await command(["HGETALL", "finops:records:\(collection)"]) else { return [:] }
        var out: [String: String] = [:]
        for i in stride(from: 0, to: items.count - 1, by: 2) {
            if case .string(let k) = items[i], case .string(let v) = items[i + 1] { out[k] = v }
        }
        return out
    }

    public func logAppend(_ log: String, json: String) async throws {
        _ = try await command(["RPUSH", "finops:log:\(log)", json])
    }

    public func logRead(_ log: String, limit: Int) async throws -> [String] {
        guard limit > 0, case .array(let items) = try await command(["LRANGE", "finops:log:\(log)", String(-limit), "-1"]) else { return [] }
        return items.compactMap { if case .string(let s) = $0 { return s }; return nil }
    }

    public func feedAppend(_ feed: String, _ entry: String, maxLength: Int) async throws {
        _ = try await command(["XADD", "finops:feed:\(feed)", "MAXLEN", "~", String(max(1, maxLength)), "*", "e", entry])
    }

    /// `XREAD` from the stream; a trimmed-away cursor simply resumes at the oldest entry kept.
    public func feedRead(_ feed: String, after cursor: String?, limit: Int) async throws -> (entries: [String], cursor: String?) {
        let reply = try await command(["XREAD", "COUNT", String(max(1, limit)), "STREAMS", "finops:feed:\(feed)", cursor ?? "0-0"])
        guard case .array(let streams) = reply, case .array(let stream)? = streams.first, stream.count == 2,
              case .array(let items) = stream[1] else { return ([], cursor) }
        var entries: [String] = []
        var last = cursor
        for item in items {
            guard case .array(let pair) = item, pair.count == 2, case .string(let id) = pair[0],
                  case .array(let fields) = pair[1], fields.count == 2, case .string(let value) = fields[1] else { continue }
            entries.append(value)
            last = id
        }
        return (entries, last)
    }

    public var isShared: Bool { true }

    public func ping() async throws {
        let reply = try await command(["PING"])
        guard reply == .status("PONG") else { throw Self.unexpected("PING", reply) }
    }

    /// One command; an error reply becomes a `StorageError`.
    func command(_ args: [String]) async throws -> RedisReply {
        let reply = try await pool.run { try $0.command(args) }
        if case .error(let message) = reply {
            throw StorageError(kind: .redis, operation: args[0], message: message)
        }
        return reply
    }

    /// `EVALSHA` with the script's cached SHA; loads it on first use and after `NOSCRIPT`
    /// (Redis restarted or flushed its script cache).
    private func eval(_ script: String, keys: [String], args: [String]) async throws -> RedisReply {
        let known = scripts.withLock { $0[script] }
        return try await pool.run { connection in
            var sha = known
            for _ in 0..<2 {
                if sha == nil {
                    guard case .string(let loaded) = try connection.command(["SCRIPT", "LOAD", script]) else {
                        throw StorageError(kind: .redis, operation: "SCRIPT LOAD", message: "unexpected reply")
                    }
                    self.scripts.withLock { $0[script] = loaded }
                    sha = loaded
                }
                let reply = try connection.command(["EVALSHA", sha!, String(keys.count)] + keys + args)
                if case .error(let message) = reply {
                    if message.hasPrefix("NOSCRIPT") { sha = nil; continue }
                    throw StorageError(kind: .redis, operation: "EVALSHA", message: message)
                }
                return reply
            }
            throw StorageError(kind: .redis, operation: "EVALSHA", message: "script could not be loaded")
        }
    }

    private static func unexpected(_ op: String, _ reply: RedisReply) -> StorageError {
        StorageError(kind: .redis, operation: op, message: "unexpected reply shape")
    }
}

extension RedisReply {
    /// Integer replies, and bulk strings that hold integers (GET of a counter).
    var int: Int64? {
        switch self {
        case .integer(let i): return i
        case .string(let s): return Int64(s) ?? Double(s).map { Int64($0) }
        default: return nil
        }
    }

    var double: Double? {
        switch self {
        case .integer(let i): return Double(i)
        case .string(let s): return Double(s)
        default: return nil
        }
    }
}
