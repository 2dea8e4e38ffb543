import Foundation
import Storage

/// A new, empty database on a test server, dropped by `drop()`: each test gets a clean schema.
public final class PostgresScratchDatabase: @unchecked Sendable {
    public let url: String
    private let name: String
    private let admin: PostgresConnection

    /// The server from FINOPS_TEST_POSTGRES_URL (scripts/test sets it), or nil.
    public static var serverURL: String? {
        ProcessInfo.processInfo.environment["FINOPS_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    public init(serverURL: String) throws {
        name = "finops_t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        admin = try PostgresConnection(url: serverURL)
        try admin.execute(rawSQL: "CREATE DATABASE \(name)")  // generated name: safe to inline
        var components = URLComponents(string: serverURL)
        components?.path = "/" + name
        guard let url = components?.string else {
            throw StorageError(kind: .invalidData, operation: "test database", message: "FINOPS_TEST_POSTGRES_URL must be a postgres:// URL")
        }
        self.url = url
    }

    public func drop() {
        try? admin.execute(rawSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        admin.close()
    }
}
