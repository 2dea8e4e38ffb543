import CCurl
import Synchronization

/// Recycles curl easy handles: creating one allocates and zeroes several buffers, which showed up
/// as a tenth of the router's per-request CPU. A handle is reset before reuse, so no option
/// (URL, headers, credentials) survives from one call to the next.
final class CurlHandlePool: Sendable {
    private struct Handle: @unchecked Sendable { let pointer: UnsafeMutableRawPointer }
    private let free = Mutex<[Handle]>([])
    private let capacity: Int

    init(capacity: Int = 1024) { self.capacity = capacity }

    func take() -> UnsafeMutableRawPointer? {
        if let h = free.withLock({ $0.popLast() }) { return h.pointer }
        return curl_easy_init()
    }

    /// Takes back a handle that is no longer in any multi handle.
    func give(_ handle: UnsafeMutableRawPointer) {
        curl_easy_reset(handle)
        let kept = free.withLock { list -> Bool in
            guard list.count < capacity else { return false }
            list.append(Handle(pointer: handle))
            return true
        }
        if !kept { curl_easy_cleanup(handle) }
    }

    deinit {
        for h in free.withLock({ $0 }) { curl_easy_cleanup(h.pointer) }
    }
}
