import CLibPQ

/// One blocking libpq connection. Owns the `PGconn*`: private, closed exactly once.
/// Every value travels as a bound parameter (`PQexecParams` / `PQexecPrepared`, text format).
///
/// Not `Sendable`: a connection serves one thread at a time.
public final class PostgresConnection {
    private var handle: OpaquePointer?
    /// Statements prepared on this connection (they live and die with it).
    private var prepared = Set<String>()

    /// Connection settings applied unless the URL sets them: a dead server or network must
    /// fail a call within seconds (so the writer spills) instead of hanging it.
    public static let defaultParameters: [(String, String)] = [
        ("connect_timeout", "5"), ("application_name", "finops-router"), ("keepalives", "1"),
        ("keepalives_idle", "10"), ("keepalives_interval", "5"), ("keepalives_count", "3"),
        ("tcp_user_timeout", "15000"),
    ]

    /// Connects with a libpq URL (`postgres://user:pass@host:5432/db`) or key=value string.
    /// Blocks; call it off the cooperative pool. Errors never contain the password.
    public init(url: String, defaults: [(String, String)] = PostgresConnection.defaultParameters) throws {
        // `dbname` is expanded as a full connection string (expand_dbname = 1) and comes last,
        // so anything the URL sets overrides our defaults.
        let pairs = defaults + [("dbname", url)]
        let conn = withCStrings(pairs.map(\.0) + [nil]) { keywords in
            withCStrings(pairs.map(\.1) + [nil]) { values in PQconnectdbParams(keywords, values, 1) }
        }
        guard let conn else {
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

    /// True while the connection is usable; false after the server went away.
    public var isConnected: Bool { handle.map { PQstatus($0) == CONNECTION_OK } ?? false }

    /// Runs SQL with no parameters (`PQexecParams`, text results) and returns every row;
    /// SQL NULL is `nil`. Values must be bound in the stores' real queries, never pasted in.
    public func simpleQuery(rawSQL sql: String) throws -> [[String?]] {
        try query(sql, []).rows
    }

    /// Runs one or more `;`-separated statements with no parameters (`PQexec`): fixed DDL
    /// written in this code base only (migrations, BEGIN/COMMIT).
    public func execute(rawSQL sql: String) throws {
        let conn = try connection("execute")
        PQclear(try check(PQexec(conn, sql), conn, "execute"))
    }

    /// Runs one statement with `$1…$n` bound to `parameters` in text format (nil is NULL).
    public func query(_ sql: String, _ parameters: [String?]) throws -> PostgresResult {
        let conn = try connection("query")
        let result = withCStrings(parameters) { values in
            PQexecParams(conn, sql, Int32(parameters.count), nil, values, nil, nil, 0)
        }
        return PostgresResult(consuming: try check(result, conn, "query"))
    }

    /// Prepares `sql` under `name` on this connection (`PQprepare`); run it with `queryPrepared`.
    public func prepare(_ name: String, _ sql: String) throws {
        let conn = try connection("prepare")
        PQclear(try check(PQprepare(conn, name, sql, 0, nil), conn, "prepare"))
    }

    /// Prepares `sql` as `name` unless this connection already has it.
    public func prepareIfNeeded(_ name: String, _ sql: String) throws {
        guard !prepared.contains(name) else { return }
        try prepare(name, sql)
        prepared.insert(name)
    }

    /// Runs the statement prepared as `name` with `parameters` bound in text format.
    public func queryPrepared(_ name: String, _ parameters: [String?]) throws -> PostgresResult {
        let conn = try connection("query")
        let result = withCStrings(parameters) { values in
            PQexecPrepared(conn, name, Int32(parameters.count), values, nil, nil, 0)
        }
        return PostgresResult(consuming: try check(result, conn, "query"))
    }

    private func connection(_ operation: String) throws -> OpaquePointer {
        guard let conn = handle else {
            throw StorageError(kind: .closed, operation: operation, message: "connection is closed")
        }
        return conn
    }

    /// The one place a libpq result becomes a Swift value or error.
    private func check(_ result: OpaquePointer?, _ conn: OpaquePointer, _ operation: String) throws -> OpaquePointer {
        guard let result else {
            throw StorageError(kind: .postgres, code: Int32(truncatingIfNeeded: PQstatus(conn).rawValue),
                               operation: operation, message: Self.message(PQerrorMessage(conn), redacting: nil))
        }
        let status = PQresultStatus(result)
        guard status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK else {
            defer { PQclear(result) }
            var error = Self.error(result: result, status: status)
            if PQstatus(conn) != CONNECTION_OK {
                error = StorageError(kind: .postgres, code: error.code, operation: operation,
                                     message: "\(error.message) (connection lost: \(Self.message(PQerrorMessage(conn), redacting: nil)))",
                                     sqlState: error.sqlState)
            }
            throw error
        }
        return result
    }

    /// Text with credentials removed, for logs: `postgres://u:***@host/db`.
    public static func redacted(_ url: String) -> String {
        ConnectionStringRedaction.redact(url, secretsIn: url)
    }

    /// libpq's version as a number, e.g. 150014 for 15.14.
    public static var libraryVersion: Int32 { PQlibVersion() }

    // MARK: Errors

    /// Server errors keep the SQLSTATE and the primary message only: DETAIL lines may echo row values.
    private static func error(result: OpaquePointer, status: ExecStatusType) -> StorageError {
        let field = { (code: Int32) in PQresultErrorField(result, code).map { String(cString: $0) } }
        let sqlState = field(Int32(UInt8(ascii: "C")))              // PG_DIAG_SQLSTATE
        let primary = field(Int32(UInt8(ascii: "M")))                // PG_DIAG_MESSAGE_PRIMARY
            ?? String(cString: PQresStatus(status))
        return StorageError(kind: .postgres, code: Int32(truncatingIfNeeded: status.rawValue),
                            operation: "query", message: "\(sqlState.map { "[\($0)] " } ?? "")\(ConnectionStringRedaction.redact(primary, secretsIn: nil))",
                            sqlState: sqlState)
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
