import Foundation

/// Waits for SIGINT or SIGTERM without a thread of its own: the signals are blocked for the
/// default handler and delivered through a Dispatch source.
public enum SignalWaiter {
    public static func waitForTermination() async -> Int32 {
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        return await withCheckedContinuation { (cont: CheckedContinuation<Int32, Never>) in
            let queue = DispatchQueue(label: "finops.signals")
            let once = ResumeOnce(cont)
            for sig in [SIGINT, SIGTERM] {
                let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
                source.setEventHandler { once.resume(sig) }
                source.resume()
                SignalSources.keep(source)
            }
        }
    }

    /// Runs `action` on every SIGHUP (configuration reload), off the signal context.
    public static func onHangup(_ action: @escaping @Sendable () -> Void) {
        signal(SIGHUP, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: DispatchQueue(label: "finops.sighup"))
        source.setEventHandler(handler: action)
        source.resume()
        SignalSources.keep(source)
    }

    /// Writing to a closed socket must be an error, not process death.
    public static func ignoreSIGPIPE() { signal(SIGPIPE, SIG_IGN) }

    /// Raises the open-file soft limit to the hard limit: every held connection costs a client
    /// socket and an upstream socket. Returns the limit now in force.
    @discardableResult
    public static func raiseFileLimit() -> UInt64 {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        return UInt64(limit.rlim_cur)
    }
}

private final class ResumeOnce: @unchecked Sendable {
    private var cont: CheckedContinuation<Int32, Never>?
    private let lock = NSLock()
    init(_ cont: CheckedContinuation<Int32, Never>) { self.cont = cont }
    func resume(_ value: Int32) {
        lock.lock()
        let c = cont
        cont = nil
        lock.unlock()
        c?.resume(returning: value)
    }
}

/// Dispatch sources stop when released; keep them for the life of the process.
private enum SignalSources {
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []
    private static let lock = NSLock()
    static func keep(_ s: any DispatchSourceSignal) {
        lock.lock()
        sources.append(s)
        lock.unlock()
    }
}
