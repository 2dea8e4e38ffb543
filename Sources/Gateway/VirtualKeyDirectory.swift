import FinOpsCore
import Foundation
import Storage
import Synchronization

/// Virtual keys (`fr-…`): minted here, stored only as SHA-256 hashes in the state store
/// (shared by every replica), and looked up through a short per-replica cache. When the store
/// is down, a key seen recently is still honoured (its last known state), so an outage does
/// not lock out every client.
final class VirtualKeyDirectory: Sendable {
    private struct Cached { var key: VirtualKey?; var fetched: Double }

    private let store: any StateStore
    private let ttl: Double
    private let now: @Sendable () -> Double
    private let cache = Mutex<[String: Cached]>([:])

    init(store: any StateStore, cacheSeconds: Double, now: @escaping @Sendable () -> Double) {
        self.store = store
        ttl = cacheSeconds
        self.now = now
    }

    /// A new key: the secret (shown once), and the record to store.
    static func mint(name: String, org: String, team: String, user: String, models: [String],
                     budget: Money?, period: BudgetPeriod, rateLimit: SpendControls.RateLimit, now: Date) -> (String, VirtualKey) {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var rng = SystemRandomNumberGenerator()
        // 40 base62 characters: 238 bits of entropy.
        let secret = "fr-" + String((0..<40).map { _ in alphabet[Int(rng.next(upperBound: UInt64(alphabet.count)))] })
        let hash = Self.hash(secret)
        let record = VirtualKey(id: "key_" + hash.prefix(12), hash: hash, prefix: String(secret.prefix(7)), name: name,
                                org: org, team: team, user: user, models: models, budget: budget, budgetPeriod: period,
                                rateLimit: rateLimit, createdAt: now)
        return (secret, record)
    }

    static func hash(_ secret: String) -> String { Hex.sha256(secret) }

    /// The key behind a presented secret; nil when unknown. Throws only when the store is down
    /// and the key was never seen.
    func lookup(secret: String) async throws -> VirtualKey? {
        let hash = Self.hash(secret)
        let t = now()
        let cached = cache.withLock { $0[hash] }
        if let cached, t - cached.fetched < ttl { return cached.key }
        do {
            let json = try await store.recordGet(StateKeys.keys, id: hash)
            let key = try json.map { try JSONDecoder().decode(VirtualKey.self, from: Data($0.utf8)) }
            cache.withLock { all in
                // Unknown keys are cached too (so guessing costs no store call); bound the memory.
                if all.count >= 100_000 { all.removeAll(keepingCapacity: true) }
                all[hash] = Cached(key: key, fetched: t)
            }
            return key
        } catch {
            if let cached { return cached.key }   // stale beats locked out
            throw error
        }
    }

    func save(_ key: VirtualKey) async throws {
        let data = try JSONEncoder().encode(key)
        try await store.recordPut(StateKeys.keys, id: key.hash, json: String(decoding: data, as: UTF8.self))
        cache.withLock { $0[key.hash] = Cached(key: key, fetched: now()) }
    }

    func all() async throws -> [VirtualKey] {
        let decoder = JSONDecoder()
        return try await store.recordAll(StateKeys.keys).values
            .compactMap { try? decoder.decode(VirtualKey.self, from: Data($0.utf8)) }
            .sorted { $0.createdAt < $1.createdAt }
    }

    /// Marks the key revoked; returns it, or nil when no key has this id.
    func revoke(id: String, at time: Date) async throws -> VirtualKey? {
        guard var key = try await all().first(where: { $0.id == id }) else { return nil }
        if key.revokedAt == nil {
            key.revokedAt = time
            try await save(key)
        }
        return key
    }
}
