import Foundation

/// Nearest-neighbour lookup of unit vectors by cosine similarity, for the semantic cache.
///
/// Vectors are stored as Int8 (unit vectors quantise with error well under the thresholds in
/// use) and bucketed by random-hyperplane LSH: `tables` tables of `bits` sign bits each. A
/// lookup scores only the entries in its own bucket and the buckets one bit away in every
/// table, so it stays well under a millisecond at 100k entries. Full: the oldest entry goes.
public struct SemanticIndex: Sendable {
    public struct Match: Sendable, Equatable {
        public var payload: String
        public var similarity: Double
    }

    struct Entry: Sendable {
        var vector: [Int8]
        var payload: String
        var expires: Double
        var signatures: [UInt32]
    }

    public let dimensions: Int
    public let capacity: Int
    private let bits: Int
    private let planes: [[Float]]   // tables * bits hyperplanes
    private var slots: [Entry?]
    private var next = 0
    private var buckets: [[UInt32: [Int32]]]
    public private(set) var count = 0

    public init(dimensions: Int, capacity: Int, tables: Int = 6, bits: Int = 12, seed: UInt64 = 0x5EED) {
        self.dimensions = dimensions
        self.capacity = max(1, capacity)
        self.bits = bits
        var state = seed
        func gaussian() -> Float {
            func unit() -> Double {
                state &+= 0x9E3779B97F4A7C15
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
                z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
                return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
            }
            let u1 = max(unit(), 1e-12), u2 = unit()
            return Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
        }
        planes = (0..<(tables * bits)).map { _ in (0..<dimensions).map { _ in gaussian() } }
        slots = []
        buckets = Array(repeating: [:], count: tables)
    }

    public mutating func insert(_ vector: [Double], payload: String, expires: Double) {
        guard vector.count == dimensions else { return }
        if next < slots.count, let old = slots[next] { unlink(slot: next, old) } else { count += 1 }
        let signatures = signatures(of: vector)
        if next == slots.count { slots.append(nil) }
        slots[next] = Entry(vector: vector.map { Int8(clamping: Int(($0 * 127).rounded())) }, payload: payload,
                            expires: expires, signatures: signatures)
        for (t, sig) in signatures.enumerated() { buckets[t][sig, default: []].append(Int32(next)) }
        next = (next + 1) % capacity
    }

    /// The most similar live entry with similarity ≥ `threshold`, if any. Probes every table's
    /// own bucket first, then the buckets one bit away, and scores at most `maxCandidates`
    /// entries, so a crowd of near-identical entries cannot make a lookup slow.
    public func nearest(_ vector: [Double], threshold: Double, now: Double, maxCandidates: Int = 4096) -> Match? {
        guard vector.count == dimensions else { return nil }
        let query = vector.map { Int32(Int8(clamping: Int(($0 * 127).rounded()))) }
        let signatures = signatures(of: vector)
        var seen = Set<Int32>()
        var best: (slot: Int32, dot: Int32)?
        probing: for flip in -1..<bits {
            for (t, sig) in signatures.enumerated() {
                let probe = flip < 0 ? sig : sig ^ (1 << UInt32(flip))
                for slot in buckets[t][probe] ?? [] where seen.insert(slot).inserted {
                    if seen.count > maxCandidates { break probing }
                    guard let e = slots[Int(slot)], e.expires > now else { continue }
                    let dot = e.vector.withUnsafeBufferPointer { v in
                        query.withUnsafeBufferPointer { q in
                            var acc: Int32 = 0
                            for i in 0..<dimensions { acc &+= q[i] &* Int32(v[i]) }
                            return acc
                        }
                    }
                    if best == nil || dot > best!.dot { best = (slot, dot) }
                }
            }
        }
        guard let (slot, dot) = best, let entry = slots[Int(slot)] else { return nil }
        let similarity = Double(dot) / (127 * 127)
        return similarity >= threshold ? Match(payload: entry.payload, similarity: min(1, similarity)) : nil
    }

    private func signatures(of v: [Double]) -> [UInt32] {
        (0..<buckets.count).map { t in
            var sig: UInt32 = 0
            for b in 0..<bits {
                let plane = planes[t * bits + b]
                var s: Double = 0
                for i in 0..<dimensions { s += Double(plane[i]) * v[i] }
                if s >= 0 { sig |= 1 << UInt32(b) }
            }
            return sig
        }
    }

    private mutating func unlink(slot: Int, _ entry: Entry) {
        for (t, sig) in entry.signatures.enumerated() {
            buckets[t][sig]?.removeAll { $0 == Int32(slot) }
            if buckets[t][sig]?.isEmpty == true { buckets[t][sig] = nil }
        }
    }
}
