import FinOpsCore
import Foundation
import Storage
import Synchronization

/// Shares semantic-cache index entries between replicas through the state store's feed (a
/// capped Redis stream): each replica publishes what it stores and a background loop
/// (`run`, owned by `SpendAssembly`, cancelled at shutdown) reads what the others published
/// into its own index every `interval` seconds — never on a request's path. A new replica
/// thereby warms up from the feed. With the in-memory store there is nobody to share with.
final class SemanticFeed: Sendable {
    static let name = "semantic"

    private struct Cursor { var position: String?; var nextRead = -Double.infinity; var reading = false }

    private let store: any StateStore
    private let indexes: SemanticIndexes
    private let replica: String = String(UInt64.random(in: 0...UInt64.max), radix: 36)
    private let cursor = Mutex(Cursor())
    private let maxLength: Int
    private let interval: Double
    private let batch: Int

    init(store: any StateStore, indexes: SemanticIndexes, maxLength: Int, interval: Double = 0.25, batch: Int = 512) {
        self.store = store
        self.indexes = indexes
        self.maxLength = maxLength
        self.interval = interval
        self.batch = batch
    }

    func publish(namespace: String, key: String, vector: [Double], expires: Double) async {
        guard store.isShared else { return }
        let bytes = vector.map { UInt8(bitPattern: Int8(clamping: Int(($0 * 127).rounded()))) }
        let entry = [replica, namespace, key, String(expires), Data(bytes).base64EncodedString()].joined(separator: "\t")
        try? await store.feedAppend(Self.name, entry, maxLength: maxLength)
    }

    /// Reads the feed until cancelled: batch after batch while behind, then every `interval`.
    func run(now: @escaping @Sendable () -> Double) async {
        guard store.isShared else { return }
        while !Task.isCancelled {
            await catchUp(now: now())
            let wait = cursor.withLock { $0.nextRead } - now()
            if wait > 0 { try? await Task.sleep(for: .milliseconds(Int(wait * 1000))) }
        }
    }

    /// Reads one batch of other replicas' entries when due; one reader at a time, errors ignored
    /// (the next round tries again).
    func catchUp(now: Double) async {
        guard store.isShared else { return }
        let position = cursor.withLock { c -> String?? in
            guard !c.reading, now >= c.nextRead else { return .none }
            c.reading = true
            return .some(c.position)
        }
        guard case .some(let from) = position else { return }
        var next = from
        var full = false
        if let (entries, moved) = try? await store.feedRead(Self.name, after: from, limit: batch) {
            next = moved
            full = entries.count == batch
            for entry in entries { apply(entry, now: now) }
        }
        cursor.withLock { c in
            c.position = next
            c.reading = false
            c.nextRead = full ? now : now + interval   // behind: read the next batch at once
        }
    }

    private func apply(_ entry: String, now: Double) {
        let parts = entry.split(separator: "\t", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] != replica, let expires = Double(parts[3]), expires > now,
              let data = Data(base64Encoded: String(parts[4])) else { return }
        let vector = data.map { Double(Int8(bitPattern: $0)) / 127 }
        indexes.insert(String(parts[1]), vector, payload: String(parts[2]), expires: expires)
    }
}
