import Foundation

/// Nearest-neighbour lookup of unit vectors by cosine similarity, for the semantic cache.
///
/// Vectors are stored as Int8 in one contiguous buffer (unit vectors quantise with error well
/// under the thresholds in use) and bucketed by random-hyperplane LSH: `tables` tables of `bits`
/// sign bits each. A lookup scores the entries in its own bucket of every table first, then
/// those one bit away, at most `maxCandidates` of them, so it stays well under a millisecond at
/// 100k entries even when many entries look alike. Full: the oldest entry goes.
public struct SemanticIndex: Sendable {
    public struct Match: Sendable, Equatable {
        public var payload: String
        public var similarity: Double
    }


    public let dimensions: Int
    public let capacity: Int
    private let bits: Int
    private let planes: [Float]   // (tables * bits) hyperplanes of `dimensions`, row after row
    // Per slot, in flat arrays so a lookup touches no reference counts: payload, expiry
    // (-inf = empty), LSH signature per table, quantised vector.
    private var payloads: [String] = []
    private var expiries: [Double] = []
    private var sigs: [UInt32] = []
    private var vectors: [Int8] = []
    private var next = 0
    private var buckets: [[UInt32: [Int32]]]
    public private(set) var count = 0

    public init(dimensions: Int, capacity: Int, tables: Int = 6, bits: Int = 12, seed: UInt64 = 0x5EED) {
        self.dimensions = dimensions
        self.capacity = max(1, capacity)
        self.bits = bits
        var state = seed
        func unit() -> Double {
            state &+= 0x9E3779B97F4A7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
            z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
            return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
        }
        planes = (0..<(tables * bits * dimensions)).map { _ in
            Float((-2 * log(max(unit(), 1e-12))).squareRoot() * cos(2 * Double.pi * unit()))
        }
        buckets = Array(repeating: [:], count: tables)
    }

    public mutating func insert(_ vector: [Double], payload: String, expires: Double) {
        guard vector.count == dimensions else { return }
        let tables = buckets.count
        if next < payloads.count { unlink(slot: next) } else { count += 1 }
        let signatures = signatures(of: vector)
        if next == payloads.count {
            payloads.append("")
            expiries.append(-.infinity)
            sigs.append(contentsOf: repeatElement(0, count: tables))
            vectors.append(contentsOf: repeatElement(0, count: dimensions))
        }
        payloads[next] = payload
        expiries[next] = expires
        for t in 0..<tables { sigs[next * tables + t] = signatures[t] }
        let base = next * dimensions
        for i in 0..<dimensions { vectors[base + i] = Self.quantise(vector[i]) }
        for (t, sig) in signatures.enumerated() { buckets[t][sig, default: []].append(Int32(next)) }
        next = (next + 1) % capacity
    }

    /// The most similar live entry with similarity ≥ `threshold`, if any. Candidates whose LSH
    /// signatures differ from the query's in more than `maxSignatureDistance` of their bits are
    /// skipped without scoring (a pair at cosine 0.92 differs in about 9 of 72, σ ≈ 3).
    public func nearest(_ vector: [Double], threshold: Double, now: Double, maxCandidates: Int = 1024,
                        maxSignatureDistance: Int = 22) -> Match? {
        guard vector.count == dimensions, !payloads.isEmpty else { return nil }
        let query = vector.map { Self.quantise($0) }
        let signatures = signatures(of: vector)
        var visited = [UInt64](repeating: 0, count: (payloads.count + 63) / 64)
        let tables = buckets.count
        var scored = 0
        var best: (slot: Int, dot: Int32)?
        // Raw buffers: the scan below must not retain, release or bounds-check per candidate.
        vectors.withUnsafeBufferPointer { stored in
        expiries.withUnsafeBufferPointer { expiry in
        sigs.withUnsafeBufferPointer { stamp in
        query.withUnsafeBufferPointer { q in
        probing: for flip in -1..<bits {
            for (t, sig) in signatures.enumerated() {
                guard let bucket = buckets[t][flip < 0 ? sig : sig ^ (1 << UInt32(flip))] else { continue }
                for s in bucket {
                    let slot = Int(s)
                    let (word, bit) = (slot >> 6, UInt64(1) << UInt64(slot & 63))
                    if visited[word] & bit != 0 { continue }
                    visited[word] |= bit
                    guard expiry[slot] > now else { continue }
                    var distance = 0
                    for k in 0..<tables { distance += (stamp[slot * tables + k] ^ signatures[k]).nonzeroBitCount }
                    if distance > maxSignatureDistance { continue }
                    scored += 1
                    if scored > maxCandidates { break probing }
                    let dot = Self.dot(q, stored, offset: slot * dimensions, count: dimensions)
                    if best == nil || dot > best!.dot { best = (slot, dot) }
                }
            }
        }
        }}}}
        guard let (slot, dot) = best else { return nil }
        let similarity = Double(dot) / (127 * 127)
        return similarity >= threshold ? Match(payload: payloads[slot], similarity: min(1, similarity)) : nil
    }

    /// Int8 dot product over raw pointers (a plain loop the optimiser vectorises; the generic
    /// SIMD conversions are not specialised and cost more than they save).
    @inline(__always)
    static func dot(_ q: UnsafeBufferPointer<Int8>, _ v: UnsafeBufferPointer<Int8>, offset: Int, count: Int) -> Int32 {
        let a = q.baseAddress!, b = v.baseAddress! + offset
        var total: Int32 = 0
        for i in 0..<count { total &+= Int32(a[i]) &* Int32(b[i]) }
        return total
    }

    private static func quantise(_ x: Double) -> Int8 { Int8(clamping: Int((x * 127).rounded())) }

    private func signatures(of v: [Double]) -> [UInt32] {
        let x = v.map { Float($0) }
        return planes.withUnsafeBufferPointer { p in
            (0..<buckets.count).map { t in
                var sig: UInt32 = 0
                for b in 0..<bits {
                    let base = (t * bits + b) * dimensions
                    var s: Float = 0
                    for i in 0..<dimensions { s += p[base + i] * x[i] }
                    if s >= 0 { sig |= 1 << UInt32(b) }
                }
                return sig
            }
        }
    }

    private mutating func unlink(slot: Int) {
        let tables = buckets.count
        for t in 0..<tables {
            let sig = sigs[slot * tables + t]
            buckets[t][sig]?.removeAll { $0 == Int32(slot) }
            if buckets[t][sig]?.isEmpty == true { buckets[t][sig] = nil }
        }
    }
}
