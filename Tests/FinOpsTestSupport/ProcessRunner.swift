import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs commands for tests with `posix_spawn` and `waitpid`. (Foundation's `Process` can miss
/// the exit of a child whose own child daemonises, as `pg_ctl start` does, and hang.)
public enum ProcessRunner {
    public struct Failure: Error, CustomStringConvertible {
        public let command: String
        public let status: Int32
        public let output: String
        public var description: String { "`\(command)` exited with \(status): \(output.suffix(2_000))" }

        public init(command: String, status: Int32, output: String) {
            self.command = command
            self.status = status
            self.output = output
        }
    }

    /// Runs to completion; throws with the output when the exit status is not 0.
    @discardableResult
    public static func run(_ arguments: [String], in directory: String? = nil,
                           environment: [String: String] = [:]) throws -> String {
        let outputPath = NSTemporaryDirectory() + "run-\(UUID().uuidString).out"
        defer { unlink(outputPath) }
        let pid = try spawn(arguments, in: directory, environment: environment, output: outputPath)
        let status = wait(pid)
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        guard status == 0 else { throw Failure(command: arguments.joined(separator: " "), status: status, output: output) }
        return output
    }

    /// Starts `arguments` (through `/usr/bin/env`, so PATH lookup, `-C dir` and `K=V` work)
    /// with stdout and stderr appended to `output`; returns its pid.
    public static func spawn(_ arguments: [String], in directory: String? = nil,
                             environment: [String: String] = [:], output: String) throws -> pid_t {
        let argv = ["/usr/bin/env"] + (directory.map { ["-C", $0] } ?? [])
            + environment.sorted(by: { $0.key < $1.key }).map { "\($0.key)=\($0.value)" } + arguments
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var pid = pid_t()
        let cArgs = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        let rc = posix_spawn(&pid, "/usr/bin/env", &actions, nil, cArgs, environ)
        guard rc == 0 else { throw Failure(command: argv.joined(separator: " "), status: rc, output: "posix_spawn failed") }
        return pid
    }

    /// Waits for `pid` and returns its exit status (128 + signal when killed).
    public static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }

    /// A TCP port on 127.0.0.1 that nothing listens on right now.
    public static func freePort() throws -> Int {
        let (fd, port) = try listeningSocket()
        close(fd)
        return port
    }

    /// A socket listening on a free port of 127.0.0.1, to hold the port busy until the caller
    /// closes `fd`.
    public static func listeningSocket() throws -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 1) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            throw Failure(command: "bind 127.0.0.1:0", status: errno, output: "")
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }
}
