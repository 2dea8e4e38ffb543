import ArgumentParser
import Foundation
import Gateway

/// `finops-router bench spend|cache`: latency of the spend controls' hot paths (bench/spend.sh).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure the budget/rate-limit check and cache lookups.",
        subcommands: [Spend.self, Cache.self])

    struct Spend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "p50/p99 of one budget + rate-limit check (3 budgets, 2 limiters).")
        @Option(help: "redis://host:port; without it, the in-memory store.") var redisURL: String?
        @Option(help: "Checks to time.") var iterations = 20_000
        @Option(help: "Concurrent callers.") var concurrency = 1

        func run() async throws {
            let stats = try await SpendBench.spendCheck(redisURL: redisURL, iterations: iterations, concurrency: concurrency)
            print("spend check (\(redisURL ?? "memory"), concurrency \(concurrency)): \(stats)")
        }
    }

    struct Cache: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "p50/p99 of cache lookups with N entries (exact hits, semantic lookups).")
        @Option(help: "redis://host:port; without it, the in-memory store.") var redisURL: String?
        @Option(help: "Entries to fill the cache with.") var entries = 100_000
        @Option(help: "Lookups to time (each: one exact, one semantic).") var lookups = 5_000

        func run() async throws {
            let r = try await SpendBench.cacheLookup(redisURL: redisURL, entries: entries, lookups: lookups)
            print("cache exact hit (\(redisURL ?? "memory"), \(entries) entries): \(r.exact)")
            print("cache semantic lookup (\(redisURL ?? "memory"), \(entries) entries): \(r.semantic) hits=\(r.semanticHits)/\(r.semantic.samples.count)")
        }
    }
}
