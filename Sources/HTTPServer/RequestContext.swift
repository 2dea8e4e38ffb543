import CMicroHTTPD
import Synchronization

/// Per-request state, held by MHD in `*con_cls` from the first callback until
/// `NOTIFY_COMPLETED`. Body fields are touched only by the MHD thread serving the connection;
/// the response hand-off from the handler Task goes through `shared`.
final class RequestContext: @unchecked Sendable {
    struct Shared {
        var response: HTTPResponse?
        var suspended = false
        var completed = false
        var stream: StreamState?
    }

    // MHD-thread only.
    var body: [UInt8] = []
    var tooLarge = false
    var dispatched = false
    var rejected = false

    let shared = Mutex(Shared())

    /// Suspends the connection; the handler Task will resume it through `deliver`.
    func suspend(_ connection: OpaquePointer) {
        shared.withLock { s in
            s.suspended = true
            MHD_suspend_connection(connection)
        }
    }

    /// Stores the response and resumes the connection, unless it already completed or a
    /// forced shutdown answered first. Returns false if the response was not used.
    @discardableResult
    func deliver(_ response: HTTPResponse, connection: OpaquePointer) -> Bool {
        shared.withLock { s in
            guard s.suspended, !s.completed, s.response == nil else { return false }
            s.response = response
            s.suspended = false
            MHD_resume_connection(connection)
            return true
        }
    }

    func takeResponse() -> HTTPResponse? {
        shared.withLock { s in
            defer { s.response = nil }
            return s.response
        }
    }
}

/// An MHD connection (or daemon) pointer carried across threads. MHD keeps a connection valid
/// while it is suspended, and only the resume call (made under the context lock) uses it.
struct ConnectionHandle: @unchecked Sendable {
    let pointer: OpaquePointer
}
