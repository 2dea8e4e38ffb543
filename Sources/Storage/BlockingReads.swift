import Foundation

/// Runs blocking store reads (dashboard pages, JSON APIs, budget status) on their own GCD
/// threads, never on Swift's cooperative pool (two threads here: one slow SQLite or libpq read
/// there would stall every async handler).
public final class BlockingReads: Sendable {
    private let queue: DispatchQueue

    public init(label: String = "finops.store-reads") {
        queue = DispatchQueue(label: label, attributes: .concurrent)
    }

    public func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { cont in
            queue.async { cont.resume(with: Result { try work() }) }
        }
    }
}
