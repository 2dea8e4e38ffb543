import Foundation

/// A private PostgreSQL server for fault tests: its own data directory and port, started and
/// stopped on demand (like scripts/test does: as the `postgres` user when running as root),
/// removed by `destroy()`. Default durability settings, so a crash-stop is a real crash.
public final class ThrowawayPostgres: @unchecked Sendable {
    public let port: Int
    public let directory: String
    private let bin: String
    private let asPostgres: [String]
    private var destroyed = false

    /// `postgres://postgres@127.0.0.1:<port>/postgres` (trust authentication).
    public var url: String { "postgres://postgres@127.0.0.1:\(port)/postgres" }

    public init() throws {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        guard let version = versions.compactMap(Int.init).max() else {
            throw ProcessRunner.Failure(command: "find /usr/lib/postgresql/*/bin", status: 1, output: "PostgreSQL server binaries not installed (scripts/setup --test-deps)")
        }
        bin = "/usr/lib/postgresql/\(version)/bin"
        port = try ProcessRunner.freePort()
        // Short path: the Unix socket goes here too (108-byte limit).
        directory = "/tmp/fpg-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o755])
        if getuid() == 0 {
            try ProcessRunner.run(["chown", "postgres:", directory])
            asPostgres = ["runuser", "-u", "postgres", "--"]
        } else {
            asPostgres = []
        }
        try ProcessRunner.run(asPostgres + ["\(bin)/initdb", "-D", "\(directory)/data", "-U", "postgres",
                                            "--auth=trust", "--no-sync"], in: directory)
        try start()
    }

    deinit { destroy() }

    public func start() throws {
        try ProcessRunner.run(asPostgres + [
            "\(bin)/pg_ctl", "-D", "\(directory)/data", "-l", "\(directory)/server.log", "-w", "-t", "60",
            "-o", "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1", "start",
        ], in: directory)
    }

    /// `immediate` is a crash (no checkpoint, connections cut); otherwise a fast shutdown.
    public func stop(immediate: Bool = true) throws {
        try ProcessRunner.run(asPostgres + ["\(bin)/pg_ctl", "-D", "\(directory)/data", "-m",
                                            immediate ? "immediate" : "fast", "-w", "-t", "60", "stop"], in: directory)
    }

    public func destroy() {
        guard !destroyed else { return }
        destroyed = true
        _ = try? stop(immediate: true)
        try? FileManager.default.removeItem(atPath: directory)
    }
}
