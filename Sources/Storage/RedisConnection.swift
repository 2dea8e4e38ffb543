import CHiredis

/// A decoded hiredis reply.
public enum RedisReply: Sendable, Equatable {
    case string(String)
    case integer(Int64)
    case array([RedisReply])
    /// The nil bulk/multi-bulk reply (a missing key).
    case null
    case status(String)
    /// An error reply from the server (`-ERR ...`); the connection stays usable.
    case error(String)
}

/// One blocking hiredis connection. Owns the `redisContext*`: private, freed exactly once.
/// Smoke-level for now; the Redis state store builds on it.
///
/// Not `Sendable`: a connection serves one thread at a time. hiredis writes with plain `write()`,
/// so the process must ignore SIGPIPE (a server closing the socket would otherwise kill it).
public final class RedisConnection {
    private var handle: UnsafeMutablePointer<redisContext>?

    /// Connects over TCP; `timeoutMs` bounds the connect and every later command.
    public init(host: String, port: Int, timeoutMs: Int = 1_000) throws {
        guard let context = finops_redis_connect(host, Int32(port), Int32(clamping: timeoutMs)) else {
            throw StorageError(kind: .redis, operation: "connect", message: "cannot allocate redis context")
        }
        if context.pointee.err != 0 {
            let error = Self.error(context, operation: "connect to \(host):\(port)")
            redisFree(context)
            throw error
        }
        handle = context
    }

    deinit { close() }

    public func close() {
        guard let context = handle else { return }
        handle = nil
        redisFree(context)
    }

    /// Sends one command, arguments binary-safe (`redisCommandArgv`), and waits for its reply.
    /// Throws on I/O or protocol errors (the connection is then unusable); a server error is
    /// returned as `.error`.
    public func command(_ args: [String]) throws -> RedisReply {
        guard let context = handle else {
            throw StorageError(kind: .closed, operation: "command", message: "connection is closed")
        }
        guard !args.isEmpty else {
            throw StorageError(kind: .redis, operation: "command", message: "empty command")
        }
        // NUL-terminated copies that live for the whole call; lengths make embedded NULs safe.
        var argv: [UnsafePointer<CChar>?] = args.map { arg in
            let bytes = arg.utf8CString
            let copy = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
            bytes.withUnsafeBufferPointer { copy.initialize(from: $0.baseAddress!, count: $0.count) }
            return UnsafePointer(copy)
        }
        defer { argv.forEach { UnsafeMutablePointer(mutating: $0)?.deallocate() } }
        let lengths = args.map { $0.utf8.count }
        let reply = argv.withUnsafeMutableBufferPointer { argvBuffer in
            lengths.withUnsafeBufferPointer { lengthBuffer in
                finops_redis_command_argv(context, Int32(args.count), argvBuffer.baseAddress, lengthBuffer.baseAddress)
            }
        }
        guard let reply else { throw Self.error(context, operation: "command \(args[0])") }
        defer { freeReplyObject(reply) }
        return Self.decode(reply)
    }

    private static func decode(_ reply: UnsafeMutablePointer<redisReply>) -> RedisReply {
        let r = reply.pointee
        let text = { () -> String in
            guard let str = r.str else { return "" }
            return String(decoding: UnsafeRawBufferPointer(start: str, count: r.len), as: UTF8.self)
        }
        switch r.type {
        case REDIS_REPLY_STRING: return .string(text())
        case REDIS_REPLY_INTEGER: return .integer(r.integer)
        case REDIS_REPLY_STATUS: return .status(text())
        case REDIS_REPLY_ERROR: return .error(text())
        case REDIS_REPLY_ARRAY:
            return .array((0..<r.elements).compactMap { r.element[$0].map(decode) })
        default: return .null
        }
    }

    /// The one place a hiredis context error becomes a Swift error.
    private static func error(_ context: UnsafeMutablePointer<redisContext>, operation: String) -> StorageError {
        let message = withUnsafeBytes(of: context.pointee.errstr) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        return StorageError(kind: .redis, code: context.pointee.err, operation: operation,
                            message: message.isEmpty ? "unknown hiredis error" : message)
    }
}
