import Foundation

/// A few blocking hiredis connections, each owned by its own thread, fed from one queue.
/// Async callers suspend on a continuation and never block Swift's cooperative pool.
///
/// A connection that fails is closed and reopened by the next job; a job that waited in the
/// queue longer than the timeout fails without touching Redis, so a stalled server turns into
/// fast errors instead of a growing backlog.
public final class RedisPool: Sendable {
    public struct Endpoint: Sendable, Equatable {
        public var host: String
        public var port: Int
        public var database: Int
        public init(host: String, port: Int, database: Int = 0) {
            self.host = host
            self.port = port
            self.database = database
        }

        /// `redis://host[:port][/db]`; no credentials (hiredis 0.14 has no TLS: keep Redis private).
        public static func parse(_ url: String) -> Endpoint? {
            guard let c = URLComponents(string: url), c.scheme == "redis", let host = c.host, !host.isEmpty,
                  c.user == nil, c.password == nil else { return nil }
            let db = c.path.split(separator: "/").first.flatMap { Int($0) } ?? 0
            return Endpoint(host: host, port: c.port ?? 6379, database: db)
        }
    }

    private final class Job: @unchecked Sendable {
        let enqueued = DispatchTime.now()
        let work: (RedisConnection) throws -> Void
        let fail: (any Error) -> Void
        init(work: @escaping (RedisConnection) throws -> Void, fail: @escaping (any Error) -> Void) {
            self.work = work
            self.fail = fail
        }
    }

    /// Queue and shutdown flag, guarded by `condition` (@unchecked: only touched under its lock).
    private final class Queue: @unchecked Sendable {
        let condition = NSCondition()
        var jobs: [Job] = []
        var head = 0
        var stopped = false
        /// Bumped on every I/O failure: connections opened before it may be dead (Redis
        /// restarted), so each thread reopens its own before its next job instead of failing it.
        var failures = 0
    }

    public let endpoint: Endpoint
    private let timeoutMs: Int
    private let queue = Queue()

    public init(endpoint: Endpoint, size: Int, timeoutMs: Int) {
        self.endpoint = endpoint
        self.timeoutMs = max(1, timeoutMs)
        for i in 0..<max(1, size) {
            let thread = Thread { [queue, endpoint, timeoutMs] in
                Self.serve(queue, endpoint: endpoint, timeoutMs: max(1, timeoutMs))
            }
            thread.name = "finops-redis-\(i)"
            thread.start()
        }
    }

    deinit { shutdown() }

    /// Stops the threads once the queued jobs are done.
    public func shutdown() {
        queue.condition.lock()
        queue.stopped = true
        queue.condition.broadcast()
        queue.condition.unlock()
    }

    /// Runs `body` with a connection on one of the pool's threads.
    public func run<T: Sendable>(_ body: @escaping @Sendable (RedisConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let job = Job(work: { continuation.resume(returning: try body($0)) },
                          fail: { continuation.resume(throwing: $0) })
            queue.condition.lock()
            if queue.stopped {
                queue.condition.unlock()
                continuation.resume(throwing: StorageError(kind: .closed, operation: "redis", message: "the Redis pool is shut down"))
                return
            }
            queue.jobs.append(job)
            queue.condition.signal()
            queue.condition.unlock()
        }
    }

    private static func serve(_ queue: Queue, endpoint: Endpoint, timeoutMs: Int) {
        var connection: RedisConnection?
        var openedAt = 0   // `failures` when `connection` was opened
        while true {
            queue.condition.lock()
            while queue.head == queue.jobs.count && !queue.stopped { queue.condition.wait() }
            if queue.head == queue.jobs.count {
                queue.condition.unlock()
                return
            }
            if queue.failures != openedAt {
                connection?.close()
                connection = nil
            }
            let job = queue.jobs[queue.head]
            queue.head += 1
            if queue.head == queue.jobs.count || queue.head > 1024 {
                queue.jobs.removeFirst(queue.head)
                queue.head = 0
            }
            queue.condition.unlock()

            let waitedMs = Double(DispatchTime.now().uptimeNanoseconds - job.enqueued.uptimeNanoseconds) / 1e6
            if waitedMs > Double(timeoutMs) * 4 {
                job.fail(StorageError(kind: .redis, operation: "queue", message: "waited \(Int(waitedMs)) ms for a Redis connection"))
                continue
            }
            do {
                if connection == nil {
                    let c = try RedisConnection(host: endpoint.host, port: endpoint.port, timeoutMs: timeoutMs)
                    if endpoint.database != 0, case .error(let e) = try c.command(["SELECT", String(endpoint.database)]) {
                        throw StorageError(kind: .redis, operation: "select", message: e)
                    }
                    connection = c
                    queue.condition.lock()
                    openedAt = queue.failures
                    queue.condition.unlock()
                }
                try job.work(connection!)
            } catch {
                // I/O errors leave a hiredis context unusable: reconnect on the next job.
                connection?.close()
                connection = nil
                if (error as? StorageError)?.kind == .redis {
                    queue.condition.lock()
                    queue.failures += 1
                    queue.condition.unlock()
                }
                job.fail(error)
            }
        }
    }
}
