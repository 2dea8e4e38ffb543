import Foundation

/// Runs blocking store work (libpq, SQLite) on a dedicated thread and awaits it, so async
/// callers (CLI commands, handlers) never block Swift's cooperative pool.
public enum BlockingExecutor {
    public static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try work() }) }
            thread.name = "finops-blocking-store-call"
            thread.start()
        }
    }
}
