/// Request latencies counted into fixed buckets, so rollups can answer "p95 latency per team
/// and model" without keeping raw rows. Buckets are upper-inclusive: a call of exactly 100 ms
/// counts in the `≤ 100 ms` bucket; the last bucket holds everything above the last bound.
///
/// Counts add exactly and in any order, so a rollup's histogram equals the histogram of its rows.
public struct LatencyHistogram: Sendable, Equatable, Codable {
    /// Upper bounds in milliseconds; `counts` has one more slot for `> 60 s`. Changing these
    /// changes the stored columns: add a migration, never edit the list in place.
    public static let boundsMs: [Double] = [25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000]

    /// Column names of the buckets in the rollup tables, in `counts` order.
    public static let columnNames: [String] =
        boundsMs.map { "latency_le_\(Int($0))" } + ["latency_gt_\(Int(boundsMs.last!))"]

    public private(set) var counts: [Int]

    public init() { counts = Array(repeating: 0, count: Self.boundsMs.count + 1) }

    /// From stored bucket counts (missing slots are 0, extra ones ignored).
    public init(counts: [Int]) {
        self.init()
        for i in 0..<min(counts.count, self.counts.count) { self.counts[i] = counts[i] }
    }

    /// The bucket a latency falls in; non-finite and negative values count as 0 ms, as the
    /// stores keep them.
    public static func bucket(ms: Double) -> Int {
        let v = ms.isFinite ? max(0, ms) : 0
        for (i, bound) in boundsMs.enumerated() where v <= bound { return i }
        return boundsMs.count
    }

    public mutating func record(ms: Double) { counts[Self.bucket(ms: ms)] += 1 }

    public mutating func add(_ other: LatencyHistogram) {
        for i in counts.indices { counts[i] += other.counts[i] }
    }

    public var total: Int { counts.reduce(0, +) }

    /// The `q` quantile (0...1) estimated by linear interpolation inside its bucket; the
    /// overflow bucket reports its lower bound. nil when nothing was counted.
    public func quantile(_ q: Double) -> Double? {
        let n = total
        guard n > 0 else { return nil }
        let rank = min(max(q, 0), 1) * Double(n)
        var seen = 0
        for (i, c) in counts.enumerated() where c > 0 {
            if Double(seen + c) >= rank {
                guard i < Self.boundsMs.count else { return Self.boundsMs.last! }
                let lower = i == 0 ? 0 : Self.boundsMs[i - 1]
                let fraction = (rank - Double(seen)) / Double(c)
                return lower + (Self.boundsMs[i] - lower) * max(0, fraction)
            }
            seen += c
        }
        return Self.boundsMs.last!
    }
}
