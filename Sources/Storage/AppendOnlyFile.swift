#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open file descriptor with an exclusive `flock`, for the spill file. Owns the fd: private,
/// closed exactly once. Every POSIX failure becomes a `StorageError` in `fail`.
///
/// Not thread-safe: one thread (the telemetry writer) uses it at a time.
final class AppendOnlyFile {
    let path: String
    private var fd: Int32

    /// Opens or creates `path` (mode 0600) and locks it: a second process (or a second writer in
    /// this one) pointed at the same spill gets a clear error instead of interleaved records.
    init(path: String) throws {
        self.path = path
        let existed = access(path, F_OK) == 0
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Self.fail("open", path) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let error = errno == EWOULDBLOCK
                ? StorageError(kind: .io, code: EWOULDBLOCK, operation: "lock \(path)",
                               message: "the spill file is in use by another finops-router writer; give each process its own --spill-dir")
                : Self.fail("lock", path)
            Glibc.close(fd)
            throw error
        }
        if !existed { syncDirectory() }
    }

    deinit { close() }

    func close() {
        guard fd >= 0 else { return }
        Glibc.close(fd)  // also releases the flock
        fd = -1
    }

    var size: Int64 {
        get throws {
            var info = stat()
            guard fstat(try descriptor(), &info) == 0 else { throw Self.fail("stat", path) }
            return Int64(info.st_size)
        }
    }

    /// Up to `count` bytes at `offset` (fewer at the end of the file).
    func read(at offset: Int64, count: Int) throws -> [UInt8] {
        let fd = try descriptor()
        var buffer = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, count - done, off_t(offset) + off_t(done)) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw Self.fail("read", path) }
            if n == 0 { break }
            done += n
        }
        return Array(buffer.prefix(done))
    }

    /// Writes all of `bytes` at `offset`, then fsyncs. On any failure (ENOSPC…) the file is cut
    /// back to `offset`, so a half-written record never stays behind.
    func writeAndSync(_ bytes: [UInt8], at offset: Int64) throws {
        let fd = try descriptor()
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let error = Self.fail("write", path)
                _ = ftruncate(fd, off_t(offset))
                throw error
            }
            done += n
        }
        guard fsync(fd) == 0 else {
            let error = Self.fail("fsync", path)
            _ = ftruncate(fd, off_t(offset))
            throw error
        }
    }

    func truncate(to length: Int64) throws {
        let fd = try descriptor()
        guard ftruncate(fd, off_t(length)) == 0, fsync(fd) == 0 else { throw Self.fail("truncate", path) }
    }

    private func descriptor() throws -> Int32 {
        guard fd >= 0 else { throw StorageError(kind: .closed, operation: "spill", message: "spill file is closed") }
        return fd
    }

    /// A new file's directory entry must be durable too, or a crash could lose the whole file.
    private func syncDirectory() {
        let directory = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let dirFD = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirFD >= 0 {
            _ = fsync(dirFD)
            Glibc.close(dirFD)
        }
    }

    /// The one place errno becomes a Swift error.
    static func fail(_ operation: String, _ path: String) -> StorageError {
        let code = errno
        return StorageError(kind: .io, code: code, operation: "\(operation) \(path)", message: String(cString: strerror(code)))
    }
}
