import FinOpsCore
import Foundation
import Logging
import Observability
import Storage
import Synchronization
import Upstream

/// Exact and semantic response cache. Exact: SHA-256 of the normalised request, per team,
/// in the state store with a TTL (shared by replicas on Redis). Semantic: hashed character
/// n-gram embeddings in an LSH index per team and request shape (model, sampling, tools…),
/// pointing at exact entries; a hit needs cosine ≥ the threshold. Each replica keeps its own
/// index, fed with the other replicas' entries through `SemanticFeed`. Store errors are
/// misses: the cache never fails a request.
final class ResponseCache: Sendable {
    struct Hit: Sendable {
        var kind: String
        var result: ChatResult
        /// What the original call cost: the cost this hit avoided.
        var cost: Money
        var model: String
        var provider: String
    }

    /// Where a fresh answer goes.
    struct Slot: Sendable {
        var key: String
        var namespace: String
        var vector: [Double]?
    }

    private let store: any StateStore
    private let settings: SpendControls.Cache
    private let metrics: RouterMetrics
    private let logger: Logger
    private let now: @Sendable () -> Double
    private let indexes: SemanticIndexes
    let feed: SemanticFeed

    init(store: any StateStore, settings: SpendControls.Cache, metrics: RouterMetrics, logger: Logger,
         now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.store = store
        self.settings = settings
        self.metrics = metrics
        self.logger = logger
        self.now = now
        indexes = SemanticIndexes(dimensions: settings.dimensions, capacity: settings.maxEntries)
        feed = SemanticFeed(store: store, indexes: indexes, maxLength: settings.maxEntries)
    }

    /// Keeps this replica's semantic index fed with the other replicas' entries (Redis only).
    func runFeed() async {
        guard settings.enabled, settings.semantic else { return }
        await feed.run(now: now)
    }

    func enabled(for team: String) -> Bool { settings.enabled && !settings.disabledTeams.contains(team) }

    func lookup(team: String, model: String, body: JSONValue) async -> (Hit?, Slot) {
        let key = StateKeys.cache(team: team, hash: Self.sha256(CacheKeyNormalizer.exactKeyText(body, model: model)))
        var slot = Slot(key: key, namespace: team + "\u{1F}" + Self.sha256(CacheKeyNormalizer.shapeText(body, model: model)), vector: nil)
        if let hit = await fetch(key, kind: "exact") { return (hit, slot) }
        guard settings.semantic else { return (nil, slot) }
        let text = CacheKeyNormalizer.semanticText(body)
        guard text.utf8.count <= 32_768 else { return (nil, slot) }
        let vector = HashedNGramEmbedder.embed(text, dimensions: settings.dimensions)
        slot.vector = vector
        let t = now()
        let match = indexes.nearest(slot.namespace, vector, threshold: settings.similarityThreshold, now: t)
        if let match, let hit = await fetch(match.payload, kind: "semantic") { return (hit, slot) }
        return (nil, slot)
    }

    func store(_ slot: Slot, result: ChatResult, usage: TokenUsage, cost: Money, model: String, provider: String) async {
        let value: JSONValue = .object([
            ("v", .int(1)), ("body", .string(String(decoding: result.body, as: UTF8.self))), ("text", .string(result.text)),
            ("in", .int(usage.inputTokens)), ("cached_in", .int(usage.cachedInputTokens)), ("out", .int(usage.outputTokens)),
            ("cost", .number(String(cost.nanos))), ("model", .string(model)), ("provider", .string(provider)),
        ])
        do {
            try await store.cacheSet(slot.key, value.serializedString, ttlSeconds: settings.ttlSeconds)
        } catch {
            metrics.recordStateStoreFailure(operation: "cache_set", outcome: "error")
            return
        }
        guard let vector = slot.vector else { return }
        let expires = now() + Double(settings.ttlSeconds)
        indexes.insert(slot.namespace, vector, payload: slot.key, expires: expires)
        await feed.publish(namespace: slot.namespace, key: slot.key, vector: vector, expires: expires)
    }

    private func fetch(_ key: String, kind: String) async -> Hit? {
        let raw: String?
        do { raw = try await store.cacheGet(key) } catch {
            metrics.recordStateStoreFailure(operation: "cache_get", outcome: "miss")
            return nil
        }
        guard let raw, let v = try? JSONParser.parse(raw), let body = v["body"]?.stringValue else { return nil }
        let usage = TokenUsage(inputTokens: v["in"]?.intValue ?? 0, cachedInputTokens: v["cached_in"]?.intValue ?? 0,
                               outputTokens: v["out"]?.intValue ?? 0)
        return Hit(kind: kind, result: ChatResult(body: Array(body.utf8), usage: usage, text: v["text"]?.stringValue ?? ""),
                   cost: Money(nanos: Int64(v["cost"]?.intValue ?? 0)), model: v["model"]?.stringValue ?? "",
                   provider: v["provider"]?.stringValue ?? "")
    }

    static func sha256(_ text: String) -> String { Hex.sha256(text) }
}
