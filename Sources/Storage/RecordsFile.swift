import Foundation

/// The in-memory store's admin records (virtual keys, budget overrides, audit log) on disk:
/// one JSON file, replaced atomically (write to a temp file, then rename) on every change.
struct RecordsFile: Sendable {
    struct Contents: Codable {
        var records: [String: [String: String]]
        var logs: [String: [String]]
    }

    let path: String

    func load() throws -> Contents? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            return try JSONDecoder().decode(Contents.self, from: data)
        } catch {
            throw StorageError(kind: .invalidData, operation: "read records file",
                               message: "\(path) is not a valid records file: \(error.localizedDescription)")
        }
    }

    func save(_ contents: Contents) throws {
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            // Atomic: a crash mid-write leaves the previous file, never half of one.
            try encoder.encode(contents).write(to: url, options: [.atomic])
            try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        } catch {
            throw StorageError(kind: .io, operation: "write records file", message: "\(path): \(error.localizedDescription)")
        }
    }
}
