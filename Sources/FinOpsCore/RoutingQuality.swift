/// RouteLLM-style routing-quality metrics: how much strong-model traffic a router needs to keep
/// answer quality, given per-prompt correctness of a weak and a strong model.
///
/// The router's score orders the prompts; sending the k highest-scored ones to the strong
/// model gives one point of the sweep (strong share k/n; quality = mean correctness of the
/// answers actually used). Ties keep input order. Same definitions and tie rule as
/// scripts/routing_metrics.py, so `finops-router eval` and the training script agree.
public struct RoutingQuality: Sendable, Equatable {
    /// 1 − the smallest strong share whose quality is ≥ 95% of the strong model's accuracy.
    public var savingsAt95: Double
    /// Strong share needed to recover 50% / 80% of the weak→strong accuracy gap.
    public var cpt50: Double
    public var cpt80: Double
    /// Average performance gap recovered: area under the recovered-gap curve over share 0…1.
    public var apgr: Double

    /// Metrics of a router that scores prompt i with `scores[i]` (higher = send to strong).
    public static func of(scores: [Double], weak: [Bool], strong: [Bool]) -> RoutingQuality {
        precondition(scores.count == weak.count && weak.count == strong.count && !weak.isEmpty)
        let order = scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
        let n = Double(weak.count)
        var quality = [Double](repeating: 0, count: weak.count + 1)
        var correct = Double(weak.filter { $0 }.count)
        quality[0] = correct / n
        for (k, i) in order.enumerated() {
            correct += (strong[i] ? 1 : 0) - (weak[i] ? 1 : 0)
            quality[k + 1] = correct / n
        }
        return summarize(quality: quality, weak: weak, strong: strong)
    }

    /// The expected curve of a random router: quality grows linearly with the strong share.
    public static func random(weak: [Bool], strong: [Bool]) -> RoutingQuality {
        let (w, s) = accuracies(weak, strong)
        let n = Double(weak.count)
        let quality = (0...weak.count).map { w + Double($0) / n * (s - w) }
        return summarize(quality: quality, weak: weak, strong: strong)
    }

    /// The oracle: strong only where the weak model is wrong and the strong one right.
    public static func oracle(weak: [Bool], strong: [Bool]) -> RoutingQuality {
        of(scores: zip(weak, strong).map { !$0 && $1 ? 1 : 0 }, weak: weak, strong: strong)
    }

    public static func accuracies(_ weak: [Bool], _ strong: [Bool]) -> (weak: Double, strong: Double) {
        let n = Double(max(weak.count, 1))
        return (Double(weak.filter { $0 }.count) / n, Double(strong.filter { $0 }.count) / n)
    }

    /// `quality[k]` = quality with k prompts sent to the strong model, k = 0…n.
    private static func summarize(quality: [Double], weak: [Bool], strong: [Bool]) -> RoutingQuality {
        let (w, s) = accuracies(weak, strong)
        let n = Double(quality.count - 1)
        func minShare(_ target: Double) -> Double {
            guard let k = quality.firstIndex(where: { $0 >= target - 1e-12 }) else { return 1 }
            return Double(k) / n
        }
        let gap = s - w
        var apgr = 0.0
        if gap > 0 {
            for k in 1..<quality.count {
                apgr += ((quality[k] - w) + (quality[k - 1] - w)) / gap / 2 / n
            }
        }
        return RoutingQuality(savingsAt95: 1 - minShare(0.95 * s), cpt50: minShare(w + 0.5 * gap),
                              cpt80: minShare(w + 0.8 * gap), apgr: apgr)
    }
}
