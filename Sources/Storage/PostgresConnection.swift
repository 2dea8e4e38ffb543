import CLibPQ

/// One blocking libpq connection. Owns the `PGconn*`: private, closed exactly once.
/// Smoke-level for now (connect, raw query); the PostgreSQL telemetry store builds on it.
///
/// Not `Sendable`: a connection serves one thread at a time.
public final class PostgresConnection {
    private var handle: OpaquePointer?

    /// Connects with a libpq URL (`postgres://user:pass@host:5432/db`) or key=value string.
    /// Blocks; call it off the cooperative pool. Errors never contain the password.
    public init(url: String) throws {
        guard let conn = PQconnectdb(url) else {
            throw StorageError(kind: .postgres, operation: "connect", message: "out of memory")
        }
        guard PQstatus(conn) == CONNECTION_OK else {
            let message = Self.message(PQerrorMessage(conn), redacting: url)
            let code = Int32(truncatingIfNeeded: PQstatus(conn).rawValue)
            PQfinish(conn)
            throw StorageError(kind: .postgres, code: code, operation: "connect", message: message)
        }
        // Server NOTICEs would go to stderr, which Swift 6 code must not share; drop them.
        PQsetNoticeProcessor(conn, { _, _ in }, nil)
        handle = conn
    }

    deinit { close() }

    public func close() {
        guard let conn = handle else { return }
        handle = nil
        PQfinish(conn)
    }

    /// Runs SQL with no parameters (`PQexecParams`, text results) and returns every row;
    /// SQL NULL is `nil`. Values must be bound in the stores' real queries, never pasted in.
    public func simpleQuery(rawSQL sql: String) throws -> [[String?]] {
        guard let conn = handle else {
            throw StorageError(kind: .closed, operation: "query", message: "connection is closed")
        }
        guard let result = PQexecParams(conn, sql, 0, nil, nil, nil, nil, 0) else {
            throw StorageError(kind: .postgres, operation: "query",
                               message: Self.message(PQerrorMessage(conn), redacting: nil))
        }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK else {
            throw Self.error(result: result, status: status)
        }
        let rowCount = PQntuples(result)
        let columnCount = PQnfields(result)
        return (0..<rowCount).map { row in
            (0..<columnCount).map { column -> String? in
                guard PQgetisnull(result, row, column) == 0, let value = PQgetvalue(result, row, column) else { return nil }
                return String(cString: value)
            }
        }
    }

    /// libpq's version as a number, e.g. 150014 for 15.14.
    public static var libraryVersion: Int32 { PQlibVersion() }

    // MARK: Errors

    /// Server errors keep the SQLSTATE and the primary message only: DETAIL lines may echo row values.
    private static func error(result: OpaquePointer, status: ExecStatusType) -> StorageError {
        let field = { (code: Int32) in PQresultErrorField(result, code).map { String(cString: $0) } }
        let sqlState = field(Int32(UInt8(ascii: "C"))) ?? "?????"   // PG_DIAG_SQLSTATE
        let primary = field(Int32(UInt8(ascii: "M")))                // PG_DIAG_MESSAGE_PRIMARY
            ?? String(cString: PQresStatus(status))
        return StorageError(kind: .postgres, code: Int32(truncatingIfNeeded: status.rawValue),
                            operation: "query", message: "[\(sqlState)] \(ConnectionStringRedaction.redact(primary, secretsIn: nil))")
    }

    private static func message(_ cMessage: UnsafePointer<CChar>?, redacting connectionString: String?) -> String {
        let raw = cMessage.map { String(cString: $0) } ?? "unknown libpq error"
        let oneLine = raw.split(whereSeparator: \.isNewline).map { $0.trimmingWhitespace() }.joined(separator: " ")
        return ConnectionStringRedaction.redact(oneLine, secretsIn: connectionString)
    }
}

/// Removes credentials from text that may echo a connection string (libpq parse errors do).
enum ConnectionStringRedaction {
    static func redact(_ text: String, secretsIn connectionString: String?) -> String {
        var result = text
        if let connectionString, let password = password(in: connectionString), !password.isEmpty {
            result = result.replacingOccurrences(of: password, with: "***")
        }
        // URI user info (`scheme://user:secret@`) and key=value (`password=secret`) forms.
        result = result.replacing(#/(://[^:/@\s]*):[^@\s]*@/#) { "\($0.1):***@" }
        result = result.replacing(#/(?i)(password\s*=\s*)('[^']*'|\S+)/#) { "\($0.1)***" }
        return result
    }

    /// The password libpq would use from `connectionString`, decoded, or nil.
    private static func password(in connectionString: String) -> String? {
        var parseError: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(connectionString, &parseError) else {
            PQfreemem(parseError)
            return rawURIPassword(in: connectionString)
        }
        defer { PQconninfoFree(options) }
        var option = options
        while let keyword = option.pointee.keyword {
            if String(cString: keyword) == "password", let value = option.pointee.val {
                return String(cString: value)
            }
            option += 1
        }
        return rawURIPassword(in: connectionString)
    }

    /// The still-encoded password of a URI libpq could not parse.
    private static func rawURIPassword(in connectionString: String) -> String? {
        guard let match = connectionString.firstMatch(of: #/://[^:/@\s]*:([^@\s]*)@/#) else { return nil }
        return String(match.1)
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
