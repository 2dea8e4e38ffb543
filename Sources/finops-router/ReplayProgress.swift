import FinOpsCore
import Foundation
import Synchronization

/// Counts what a replay run got back: status classes, latencies, and the router's own cost
/// headers (`X-FinOps-Cost-USD`, `X-FinOps-Savings-USD`) summed exactly as nano-dollars.
final class ReplayProgress: Sendable {
    struct Snapshot {
        var sent = 0, completed = 0, ok = 0, clientErrors = 0, serverErrors = 0, transportErrors = 0
        var latenciesMs: [Double] = []
        var spend = Money.zero, savings = Money.zero
        var models: [String: Int] = [:]
    }

    private let state = Mutex(Snapshot())
    let total: Int
    let started = ContinuousClock.now

    init(total: Int) { self.total = total }

    var snapshot: Snapshot { state.withLock { $0 } }

    func sent() { state.withLock { $0.sent += 1 } }

    func finished(status: Int?, latencyMs: Double, cost: String?, savings: String?, model: String?) {
        state.withLock { s in
            s.completed += 1
            s.latenciesMs.append(latencyMs)
            switch status {
            case nil: s.transportErrors += 1
            case let code? where code < 400: s.ok += 1
            case let code? where code < 500: s.clientErrors += 1
            default: s.serverErrors += 1
            }
            if let cost, let money = Money(decimalString: cost) { s.spend += money }
            if let savings, let money = Money(decimalString: savings) { s.savings += money }
            if let model { s.models[model, default: 0] += 1 }
        }
    }

    var elapsedSeconds: Double { started.duration(to: .now).seconds }

    /// `[########------------] 412/1000  ok 410  err 2  19.8 req/s  spend $0.012345`
    func progressLine() -> String {
        let s = snapshot
        let width = 20
        let filled = total == 0 ? width : min(width, s.completed * width / total)
        let rate = elapsedSeconds > 0 ? Double(s.completed) / elapsedSeconds : 0
        return "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] "
            + "\(s.completed)/\(total)  ok \(s.ok)  err \(s.completed - s.ok)  "
            + String(format: "%.1f req/s", rate) + "  spend $\(s.spend.decimalString)"
    }

    func summary(url: String) -> String {
        let s = snapshot
        let sorted = s.latenciesMs.sorted()
        func percentile(_ p: Double) -> Int {
            sorted.isEmpty ? 0 : Int(sorted[min(sorted.count - 1, Int((p * Double(sorted.count)).rounded(.up)) - 1)].rounded())
        }
        let elapsed = elapsedSeconds
        var lines = [String(format: "replayed %d requests in %.1f s (%.1f req/s) against %@", s.completed, elapsed,
                            elapsed > 0 ? Double(s.completed) / elapsed : 0, url)]
        lines.append("  ok \(s.ok)  4xx \(s.clientErrors)  5xx \(s.serverErrors)  transport errors \(s.transportErrors)")
        lines.append("  latency p50 \(percentile(0.5)) ms  p95 \(percentile(0.95)) ms  p99 \(percentile(0.99)) ms  max \(Int(sorted.last ?? 0)) ms")
        lines.append("  spend $\(s.spend.decimalString)  savings $\(s.savings.decimalString) (from the router's cost headers)")
        if !s.models.isEmpty {
            lines.append("  models: " + s.models.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }
}
