import CMicroHTTPD
import Glibc
import Logging
import Synchronization

/// An HTTP/1.1 server on libmicrohttpd: a small pool of epoll threads, async handlers on
/// suspended connections (no thread is ever blocked waiting for a handler), streamed bodies,
/// a request-body limit, and a graceful quiesce → drain → stop shutdown.
public final class HTTPServer: @unchecked Sendable {
    public struct Configuration: Sendable {
        /// IPv4 address to bind; "0.0.0.0" for all interfaces.
        public var host: String = "0.0.0.0"
        /// 0 picks a free port (see `port` after `start()`).
        public var port: UInt16 = 8080
        /// MHD polling threads; each runs its own epoll loop.
        public var threads: Int = 2
        /// Suspended (waiting) connections count against this limit, so it must exceed the
        /// number of concurrent upstream calls we want to hold.
        public var connectionLimit: Int = 4096
        /// Requests with larger bodies get 413 without being buffered.
        public var maxBodyBytes: Int = 4 * 1024 * 1024
        /// Idle keep-alive connections are closed after this many seconds.
        public var idleTimeoutSeconds: Int = 120
        public init() {}
    }

    public let configuration: Configuration
    private let router: Router
    private let logger: Logger
    /// Called for requests the server itself rejects (e.g. 413), for metrics.
    private let onRejected: @Sendable (Int) -> Void
    private let daemon = Mutex<ConnectionHandle?>(nil)
    private let live = Mutex<[ObjectIdentifier: (RequestContext, ConnectionHandle)]>([:])
    private let draining = Atomic<Bool>(false)
    private let boundPort = Atomic<UInt16>(0)

    public init(configuration: Configuration, router: Router, logger: Logger,
                onRejected: @escaping @Sendable (Int) -> Void = { _ in }) {
        self.configuration = configuration
        self.router = router
        self.logger = logger
        self.onRejected = onRejected
    }

    /// The bound port (differs from the configured one when that was 0).
    public var port: UInt16 { boundPort.load(ordering: .relaxed) }

    /// Requests received and not yet completed (including open streams).
    public var inFlight: Int { live.withLock { $0.count } }

    public func start() throws {
        let flags = FINOPS_MHD_FLAGS
        let me = Unmanaged.passUnretained(self).toOpaque()
        let d = finops_mhd_start(
            flags, configuration.host, configuration.port,
            accessHandlerThunk, me, requestCompletedThunk, me,
            UInt32(configuration.connectionLimit), UInt32(max(1, configuration.threads)),
            UInt32(configuration.idleTimeoutSeconds), 32 * 1024)
        guard let d else {
            throw HTTPServerError(message: "could not listen on \(configuration.host):\(configuration.port) (address in use, not permitted, or not an IPv4 address)")
        }
        daemon.withLock { $0 = ConnectionHandle(pointer: d) }
        boundPort.store(finops_mhd_bound_port(d), ordering: .relaxed)
    }

    /// Stops accepting, lets in-flight requests and streams finish (up to `drainTimeout`),
    /// answers any still waiting with 503, then stops the daemon. Safe to call twice.
    public func shutdown(drainTimeout: Duration = .seconds(30)) async {
        guard let d = daemon.withLock({ $0?.pointer }) else { return }
        draining.store(true, ordering: .relaxed)
        let listenFD = MHD_quiesce_daemon(d)
        if listenFD >= 0 { close(listenFD) }
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: drainTimeout)
        while inFlight > 0, clock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        if inFlight > 0 {
            logger.warning("shutdown: drain timeout reached, aborting in-flight requests", metadata: ["in_flight": "\(inFlight)"])
            abortInFlight()
            let hardDeadline = clock.now.advanced(by: .seconds(5))
            while inFlight > 0, clock.now < hardDeadline {
                try? await Task.sleep(for: .milliseconds(10))
            }
        }
        daemon.withLock { $0 = nil }
        // Stopping with a suspended connection aborts inside MHD; by now none is suspended
        // unless a handler ignored the abort, and then leaking the daemon is the safe choice.
        if inFlight == 0 {
            MHD_stop_daemon(d)
        } else {
            logger.error("shutdown: \(inFlight) requests still suspended; exiting without stopping the daemon")
        }
    }

    private func abortInFlight() {
        let entries = live.withLock { Array($0.values) }
        for (ctx, handle) in entries {
            let stream = ctx.shared.withLock { $0.stream }
            if let stream {
                stream.finish()
            } else {
                ctx.deliver(.error(503, type: "server_error", code: "shutting_down",
                                   message: "The router is shutting down; retry on another replica."),
                            connection: handle.pointer)
            }
        }
    }

    // MARK: - MHD callbacks (always on an MHD thread)

    fileprivate func handle(connection: OpaquePointer, url: UnsafePointer<CChar>, method: UnsafePointer<CChar>,
                            uploadData: UnsafePointer<CChar>?, uploadSize: UnsafeMutablePointer<Int>,
                            conCls: UnsafeMutablePointer<UnsafeMutableRawPointer?>) -> MHD_Result {
        guard let raw = conCls.pointee else {
            let ctx = RequestContext()
            conCls.pointee = Unmanaged.passRetained(ctx).toOpaque()
            live.withLock { $0[ObjectIdentifier(ctx)] = (ctx, ConnectionHandle(pointer: connection)) }
            if let cl = MHD_lookup_connection_value(connection, FINOPS_MHD_HEADER_KIND, "Content-Length"),
               let length = Int(String(cString: cl)), length > configuration.maxBodyBytes {
                ctx.tooLarge = true
                // A client waiting for "100 Continue" gets the 413 now and never sends the body.
                if let expect = MHD_lookup_connection_value(connection, FINOPS_MHD_HEADER_KIND, "Expect"),
                   String(cString: expect).lowercased() == "100-continue" {
                    return rejectTooLarge(ctx, connection)
                }
            }
            return FINOPS_MHD_YES
        }
        let ctx = Unmanaged<RequestContext>.fromOpaque(raw).takeUnretainedValue()

        if uploadSize.pointee > 0 {
            let size = uploadSize.pointee
            uploadSize.pointee = 0
            if !ctx.tooLarge, ctx.body.count + size > configuration.maxBodyBytes {
                ctx.tooLarge = true
                ctx.body = []
            }
            // Past the limit the rest is read and discarded, never buffered: answering mid-upload
            // would close the socket under a client still sending, which then sees a reset, not the 413.
            if ctx.tooLarge { return FINOPS_MHD_YES }
            if let uploadData {
                uploadData.withMemoryRebound(to: UInt8.self, capacity: size) {
                    ctx.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: size))
                }
            }
            return FINOPS_MHD_YES
        }

        if let response = ctx.takeResponse() {
            return queue(response, on: connection, context: ctx)
        }
        if ctx.dispatched { return FINOPS_MHD_YES }
        ctx.dispatched = true
        if ctx.tooLarge { return rejectTooLarge(ctx, connection) }

        let request = HTTPRequest(
            method: String(cString: method), path: String(cString: url),
            query: collectValues(connection, kind: FINOPS_MHD_GET_ARGUMENT_KIND),
            headers: collectHeaders(connection), body: ctx.body)
        ctx.body = []
        switch router.resolve(request) {
        case .sync(let handler):
            return queue(handler(request), on: connection, context: ctx)
        case .async(let handler):
            ctx.suspend(connection)
            let handle = ConnectionHandle(pointer: connection)
            Task {
                let response = await handler(request)
                ctx.deliver(response, connection: handle.pointer)
            }
            return FINOPS_MHD_YES
        }
    }

    private func rejectTooLarge(_ ctx: RequestContext, _ connection: OpaquePointer) -> MHD_Result {
        if ctx.rejected { return FINOPS_MHD_YES }
        ctx.rejected = true
        ctx.dispatched = true
        onRejected(413)
        logger.info("rejected request body over limit", metadata: ["limit_bytes": "\(configuration.maxBodyBytes)"])
        return queue(.error(413, type: "invalid_request_error", code: "request_too_large",
                            message: "Request body exceeds the limit of \(configuration.maxBodyBytes) bytes.",
                            headers: [("Connection", "close")]),
                     on: connection, context: ctx)
    }

    fileprivate func completed(conCls: UnsafeMutablePointer<UnsafeMutableRawPointer?>?) {
        guard let conCls, let raw = conCls.pointee else { return }
        conCls.pointee = nil
        let ctx = Unmanaged<RequestContext>.fromOpaque(raw).takeRetainedValue()
        ctx.shared.withLock { $0.completed = true }
        _ = live.withLock { $0.removeValue(forKey: ObjectIdentifier(ctx)) }
    }

    private func queue(_ response: HTTPResponse, on connection: OpaquePointer, context: RequestContext) -> MHD_Result {
        let mhdResponse: OpaquePointer?
        var producer: (@Sendable (ResponseBodyWriter) async -> Void)?
        var stream: StreamState?
        switch response.body {
        case .bytes(let bytes):
            mhdResponse = bytes.withUnsafeBytes { finops_mhd_response_copy($0.baseAddress, $0.count) }
        case .stream(let produce):
            let state = StreamState()
            state.connection = connection
            mhdResponse = MHD_create_response_from_callback(
                FINOPS_MHD_SIZE_UNKNOWN, 16 * 1024, contentReaderThunk,
                Unmanaged.passRetained(state).toOpaque(), contentFreeThunk)
            producer = produce
            stream = state
        }
        guard let mhdResponse else { return FINOPS_MHD_NO }
        for (name, value) in response.headers {
            MHD_add_response_header(mhdResponse, name, value)
        }
        if draining.load(ordering: .relaxed) {
            MHD_add_response_header(mhdResponse, "Connection", "close")
        }
        let result = MHD_queue_response(connection, UInt32(response.status), mhdResponse)
        MHD_destroy_response(mhdResponse)
        if let producer, let stream {
            context.shared.withLock { $0.stream = stream }
            let writer = ResponseBodyWriter(state: stream)
            Task {
                await producer(writer)
                writer.finish()
            }
        }
        return result
    }

    private func collectHeaders(_ connection: OpaquePointer) -> [(name: String, value: String)] {
        let box = HeaderCollector(lowercaseNames: true)
        MHD_get_connection_values(connection, FINOPS_MHD_HEADER_KIND, headerIteratorThunk, Unmanaged.passUnretained(box).toOpaque())
        return box.headers
    }

    private func collectValues(_ connection: OpaquePointer, kind: MHD_ValueKind) -> [String: String] {
        let box = HeaderCollector(lowercaseNames: false)
        MHD_get_connection_values(connection, kind, headerIteratorThunk, Unmanaged.passUnretained(box).toOpaque())
        var result: [String: String] = [:]
        for (k, v) in box.headers { result[k] = v }
        return result
    }
}

public struct HTTPServerError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

private final class HeaderCollector {
    let lowercaseNames: Bool
    var headers: [(name: String, value: String)] = []
    init(lowercaseNames: Bool) { self.lowercaseNames = lowercaseNames }
}

// C entry points. They are plain nonisolated functions in a library target: closures written in
// a top-level main.swift would be inferred @MainActor and crash when MHD calls them.

private let accessHandlerThunk: MHD_AccessHandlerCallback = { cls, connection, url, method, _, uploadData, uploadSize, conCls in
    guard let cls, let connection, let url, let method, let uploadSize, let conCls else { return FINOPS_MHD_NO }
    let server = Unmanaged<HTTPServer>.fromOpaque(cls).takeUnretainedValue()
    return server.handle(connection: connection, url: url, method: method, uploadData: uploadData,
                         uploadSize: uploadSize, conCls: conCls)
}

private let requestCompletedThunk: MHD_RequestCompletedCallback = { cls, _, conCls, _ in
    guard let cls else { return }
    Unmanaged<HTTPServer>.fromOpaque(cls).takeUnretainedValue().completed(conCls: conCls)
}

private let headerIteratorThunk: MHD_KeyValueIterator = { cls, _, key, value in
    guard let cls, let key else { return FINOPS_MHD_YES }
    let box = Unmanaged<HeaderCollector>.fromOpaque(cls).takeUnretainedValue()
    let name = String(cString: key)
    box.headers.append((box.lowercaseNames ? name.lowercased() : name, value.map { String(cString: $0) } ?? ""))
    return FINOPS_MHD_YES
}

private let contentReaderThunk: MHD_ContentReaderCallback = { cls, _, buf, max in
    guard let cls, let buf else { return FINOPS_MHD_END_WITH_ERROR }
    return Unmanaged<StreamState>.fromOpaque(cls).takeUnretainedValue().read(into: buf, max: max)
}

private let contentFreeThunk: MHD_ContentReaderFreeCallback = { cls in
    guard let cls else { return }
    let state = Unmanaged<StreamState>.fromOpaque(cls).takeRetainedValue()
    state.markClosed()
}
