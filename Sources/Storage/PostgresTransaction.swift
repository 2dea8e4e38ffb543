/// One place that wraps work in BEGIN/COMMIT on a connection, rolling back on any error (a
/// broken connection needs no rollback: the server already dropped the transaction).
extension PostgresConnection {
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute(rawSQL: "BEGIN")
        do {
            let result = try body()
            try execute(rawSQL: "COMMIT")
            return result
        } catch {
            if isConnected { try? execute(rawSQL: "ROLLBACK") }
            throw error
        }
    }
}

/// SQL for exact unix-millisecond times on `timestamptz` columns.
enum PostgresTime {
    /// The parameter `$n` (text, unix ms) as a timestamptz.
    static func param(_ n: Int) -> String { "timestamptz 'epoch' + $\(n)::bigint * interval '1 millisecond'" }
    /// A timestamptz column read back as unix ms.
    static func millis(_ column: String) -> String { "(extract(epoch FROM \(column)) * 1000)::bigint" }
}
