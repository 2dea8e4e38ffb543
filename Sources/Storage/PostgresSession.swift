import Foundation

/// One lazily (re)connected `PostgresConnection` behind a lock. A call finds the connection
/// open, or opens it and runs `setup` (migrations, session settings, prepared statements);
/// a call that leaves the connection broken drops it, so the next call reconnects. Nothing
/// retries here: the telemetry writer decides (spill, back off, replay).
final class PostgresSession: @unchecked Sendable {
    // @unchecked Sendable: `connection` is only touched while holding `lock`.
    private let lock = NSLock()
    private var connection: PostgresConnection?
    private let url: String
    private let setup: (PostgresConnection) throws -> Void

    init(url: String, setup: @escaping (PostgresConnection) throws -> Void) {
        self.url = url
        self.setup = setup
    }

    func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try lock.withLock {
            let conn = try openConnection()
            do {
                return try body(conn)
            } catch {
                if !conn.isConnected {
                    conn.close()
                    connection = nil
                }
                throw error
            }
        }
    }

    func close() {
        lock.withLock {
            connection?.close()
            connection = nil
        }
    }

    private func openConnection() throws -> PostgresConnection {
        if let connection, connection.isConnected { return connection }
        connection?.close()
        connection = nil
        let fresh = try PostgresConnection(url: url)
        do {
            try setup(fresh)
        } catch {
            fresh.close()
            throw error
        }
        connection = fresh
        return fresh
    }
}
