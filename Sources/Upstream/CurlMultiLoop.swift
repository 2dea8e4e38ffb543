import CCurl
import Foundation
import Logging
import Synchronization

/// All upstream HTTP goes through one libcurl multi handle driven by one thread: thousands of
/// concurrent calls cost sockets, not threads. Other threads only enqueue work and call
/// `curl_multi_wakeup`; every curl call on a handle happens on the loop thread.
public final class CurlMultiLoop: @unchecked Sendable {
    private enum Command {
        case add(Unmanaged<CurlTransfer>)
        case cancel(ObjectIdentifier)
    }

    private let multi: UnsafeMutableRawPointer
    private let commands = Mutex<[Command]>([])
    private let running = Atomic<Bool>(true)
    private let active = Atomic<Int>(0)
    private let logger: Logger
    private let handles = CurlHandlePool()
    private var thread: Thread?
    private let stopped = DispatchSemaphore(value: 0)
    // Loop-thread only: transfers currently inside the multi handle.
    private var inMulti: [ObjectIdentifier: Unmanaged<CurlTransfer>] = [:]

    public init(maxConnections: Int = 2000, logger: Logger) {
        CurlGlobal.initialize()
        multi = curl_multi_init()
        self.logger = logger
        finops_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, maxConnections)
        finops_multi_setopt_long(multi, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
        let t = Thread { [unowned self] in self.run() }
        t.name = "curl-multi"
        thread = t
        t.start()
    }

    /// Transfers in progress (for metrics).
    public var activeTransfers: Int { active.load(ordering: .relaxed) }

    /// Performs a call and returns the whole response. Cancelling the task aborts the transfer.
    public func execute(_ request: UpstreamRequest) async throws -> UpstreamResponse {
        guard let transfer = CurlTransfer(request: request, streaming: false, pool: handles) else {
            throw UpstreamError(.transport, "could not create a curl handle")
        }
        let id = ObjectIdentifier(transfer)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (cont: CheckedContinuation<UpstreamResponse, any Error>) in
                transfer.delivery = .buffered(cont)
                submit(transfer)
            }
        } onCancel: {
            self.enqueue(.cancel(id))
        }
    }

    /// Starts a call and returns once the response head has arrived; the body follows as a
    /// stream. Dropping the stream cancels the transfer.
    public func stream(_ request: UpstreamRequest) async throws -> UpstreamStream {
        guard let transfer = CurlTransfer(request: request, streaming: true, pool: handles) else {
            throw UpstreamError(.transport, "could not create a curl handle")
        }
        let id = ObjectIdentifier(transfer)
        let (body, bodyCont) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        bodyCont.onTermination = { [weak self] termination in
            if case .cancelled = termination { self?.enqueue(.cancel(id)) }
        }
        transfer.stream = body
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (cont: CheckedContinuation<UpstreamStream, any Error>) in
                transfer.delivery = .streaming(head: cont, body: bodyCont)
                submit(transfer)
            }
        } onCancel: {
            self.enqueue(.cancel(id))
        }
    }

    /// Stops the loop; transfers still running fail with `cancelled`.
    public func shutdown() {
        guard running.exchange(false, ordering: .relaxed) else { return }
        curl_multi_wakeup(multi)
        stopped.wait()
    }

    private func submit(_ transfer: CurlTransfer) {
        guard running.load(ordering: .relaxed) else {
            transfer.fail(UpstreamError(.cancelled, "upstream loop is shut down"))
            return
        }
        active.add(1, ordering: .relaxed)
        enqueue(.add(Unmanaged.passRetained(transfer)))
    }

    private func enqueue(_ command: Command) {
        commands.withLock { $0.append(command) }
        curl_multi_wakeup(multi)
    }

    private func run() {
        var stillRunning: Int32 = 0
        while running.load(ordering: .relaxed) {
            drainCommands()
            curl_multi_perform(multi, &stillRunning)
            collectFinished()
            expireStreamHeads()
            var numfds: Int32 = 0
            curl_multi_poll(multi, nil, 0, 250, &numfds)
        }
        drainCommands()
        for (_, unmanaged) in inMulti {
            let transfer = unmanaged.takeUnretainedValue()
            curl_multi_remove_handle(multi, transfer.easy)
            transfer.fail(UpstreamError(.cancelled, "upstream loop shut down"))
            unmanaged.release()
            active.subtract(1, ordering: .relaxed)
        }
        inMulti.removeAll()
        curl_multi_cleanup(multi)
        stopped.signal()
    }

    private func drainCommands() {
        let pending = commands.withLock { c -> [Command] in
            defer { c.removeAll(keepingCapacity: true) }
            return c
        }
        for command in pending {
            switch command {
            case .add(let unmanaged):
                let transfer = unmanaged.takeUnretainedValue()
                let id = ObjectIdentifier(transfer)
                let rc = curl_multi_add_handle(multi, transfer.easy)
                if rc != CURLM_OK {
                    transfer.fail(UpstreamError(.transport, String(cString: curl_multi_strerror(rc))))
                    unmanaged.release()
                    active.subtract(1, ordering: .relaxed)
                } else {
                    inMulti[id] = unmanaged
                }
            case .cancel(let id):
                // The transfer may have finished already; then there is nothing to cancel.
                guard let unmanaged = inMulti.removeValue(forKey: id) else { continue }
                let transfer = unmanaged.takeUnretainedValue()
                curl_multi_remove_handle(multi, transfer.easy)
                transfer.fail(UpstreamError(.cancelled, "request cancelled"))
                unmanaged.release()
                active.subtract(1, ordering: .relaxed)
            }
        }
    }

    private var lastExpiryCheck = ContinuousClock.now

    /// Fails streams whose response head is overdue (checked at most every 100 ms).
    private func expireStreamHeads() {
        let now = ContinuousClock.now
        guard now - lastExpiryCheck >= .milliseconds(100) else { return }
        lastExpiryCheck = now
        for (id, unmanaged) in inMulti {
            let transfer = unmanaged.takeUnretainedValue()
            guard let deadline = transfer.headDeadline, now >= deadline else { continue }
            inMulti.removeValue(forKey: id)
            curl_multi_remove_handle(multi, transfer.easy)
            transfer.fail(UpstreamError(.timeout, "no response head within the provider timeout"))
            unmanaged.release()
            active.subtract(1, ordering: .relaxed)
        }
    }

    private func collectFinished() {
        var left: Int32 = 0
        while let msg = curl_multi_info_read(multi, &left) {
            guard msg.pointee.msg == CURLMSG_DONE, let easy = msg.pointee.easy_handle else { continue }
            let result = msg.pointee.data.result
            var priv: UnsafeMutableRawPointer?
            finops_easy_getinfo_ptr(easy, CURLINFO_PRIVATE, &priv)
            curl_multi_remove_handle(multi, easy)
            guard let priv else { continue }
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(priv).takeUnretainedValue()
            guard let unmanaged = inMulti.removeValue(forKey: ObjectIdentifier(transfer)) else { continue }
            transfer.complete(result)
            unmanaged.release()
            active.subtract(1, ordering: .relaxed)
        }
    }
}

/// `curl_global_init` must run once, before any other curl call and before threads race.
enum CurlGlobal {
    private static let once: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()
    static func initialize() { _ = once }
}
