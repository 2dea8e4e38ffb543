import CMicroHTTPD
import Synchronization

/// Producer side of a streamed response. `write` never blocks: bytes are buffered and the
/// suspended connection is resumed so MHD pulls them. Returns false once the client has gone,
/// so the producer can stop its upstream call.
public final class ResponseBodyWriter: Sendable {
    let state: StreamState

    init(state: StreamState) { self.state = state }

    @discardableResult
    public func write(_ bytes: [UInt8]) -> Bool { state.append(bytes) }

    @discardableResult
    public func write(_ text: String) -> Bool { state.append(Array(text.utf8)) }

    /// True once the client disconnected (the response was freed).
    public var isClosed: Bool { state.isClosed }

    /// Ends the body. Called automatically after the producer returns.
    public func finish() { state.finish() }
}

/// Shared buffer between the producer Task and MHD's content-reader callback.
/// The connection is suspended by the reader when empty and resumed by the producer; both
/// happen under the same lock so a wake-up can never be lost.
final class StreamState: @unchecked Sendable {
    private struct Buffer {
        var bytes: [UInt8] = []
        var offset = 0
        var finished = false
        var suspended = false
        var closed = false
    }

    private let buffer = Mutex(Buffer())
    // Set once before the response is queued; read under the lock afterwards.
    nonisolated(unsafe) var connection: OpaquePointer?

    func append(_ bytes: [UInt8]) -> Bool {
        buffer.withLock { b in
            if b.closed || b.finished { return false }
            b.bytes.append(contentsOf: bytes)
            if b.suspended, let c = connection {
                b.suspended = false
                MHD_resume_connection(c)
            }
            return true
        }
    }

    func finish() {
        buffer.withLock { b in
            if b.finished { return }
            b.finished = true
            if b.suspended, let c = connection, !b.closed {
                b.suspended = false
                MHD_resume_connection(c)
            }
        }
    }

    var isClosed: Bool { buffer.withLock { $0.closed } }

    /// Called on an MHD thread: copy out what is buffered, or suspend until more arrives.
    func read(into destination: UnsafeMutablePointer<CChar>, max: Int) -> Int {
        buffer.withLock { b in
            let available = b.bytes.count - b.offset
            if available > 0 {
                let n = min(available, max)
                b.bytes.withUnsafeBufferPointer { src in
                    UnsafeMutableRawPointer(destination).copyMemory(from: src.baseAddress! + b.offset, byteCount: n)
                }
                b.offset += n
                if b.offset == b.bytes.count {
                    b.bytes.removeAll(keepingCapacity: true)
                    b.offset = 0
                }
                return n
            }
            if b.finished { return FINOPS_MHD_END_OF_STREAM }
            if let c = connection {
                b.suspended = true
                MHD_suspend_connection(c)
            }
            return 0
        }
    }

    /// Called by MHD when the response is destroyed (done or client gone).
    func markClosed() {
        buffer.withLock { b in
            b.closed = true
            b.suspended = false
        }
    }
}
