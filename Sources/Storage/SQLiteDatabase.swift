import CSQLite

/// One SQLite connection. Owns the `sqlite3*`: private, reached only through `withHandle`,
/// closed exactly once (by `close()` or `deinit`).
///
/// Not `Sendable`: a connection is used by one thread at a time, and the owner (a store)
/// serialises access, so it is opened with `SQLITE_OPEN_NOMUTEX`.
public final class SQLiteDatabase {
    private var handle: OpaquePointer?

    /// Opens (creating if needed) the database at `path` in WAL mode with `synchronous=NORMAL`:
    /// readers never block the writer, and a commit costs no fsync of the main file.
    public init(path: String, busyTimeoutMs: Int32 = 5_000) throws {
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let error = SQLiteDatabase.error(rc: rc, db: db, operation: "open")
            sqlite3_close_v2(db)  // a handle is returned even on failure and must be released
            throw error
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
        finops_sqlite3_disable_dqs(db)
        try check(sqlite3_busy_timeout(db, busyTimeoutMs), "busy_timeout")
        try execute(rawSQL: "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;")
    }

    deinit { close() }

    /// Closes the connection. Statements still alive keep it open until they are finalized
    /// (`sqlite3_close_v2`), so closing never fails with `SQLITE_BUSY`.
    public func close() {
        guard let db = handle else { return }
        handle = nil
        sqlite3_close_v2(db)
    }

    /// Runs the C handle through `body`, or throws if the connection is closed.
    func withHandle<T>(_ body: (OpaquePointer) throws -> T) throws -> T {
        guard let db = handle else {
            throw StorageError(kind: .closed, operation: "sqlite", message: "database is closed")
        }
        return try body(db)
    }

    /// Runs one or more `;`-separated statements with no parameters and ignores any rows.
    /// Only for fixed SQL written in this code base (DDL, pragmas, BEGIN/COMMIT): values are bound
    /// through `prepare(_:)`.
    public func execute(rawSQL sql: String) throws {
        try withHandle { db in
            var errorMessage: UnsafeMutablePointer<CChar>?
            let rc = sqlite3_exec(db, sql, nil, nil, &errorMessage)
            defer { sqlite3_free(errorMessage) }
            if rc != SQLITE_OK {
                let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(rc))
                throw StorageError(kind: .sqlite, code: rc, operation: "execute", message: message)
            }
        }
    }

    /// Compiles one statement with `?` placeholders; keep it and reuse it for repeated work.
    public func prepare(_ sql: String) throws -> SQLiteStatement {
        try withHandle { db in
            var statement: OpaquePointer?
            try check(sqlite3_prepare_v2(db, sql, -1, &statement, nil), "prepare")
            guard let statement else {
                throw StorageError(kind: .sqlite, operation: "prepare", message: "empty SQL statement")
            }
            return SQLiteStatement(handle: statement, database: self)
        }
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction (the write lock is taken up front, so
    /// the busy timeout applies at BEGIN instead of failing at COMMIT); rolls back if anything throws.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute(rawSQL: "BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute(rawSQL: "COMMIT")
            return result
        } catch {
            try? execute(rawSQL: "ROLLBACK")
            throw error
        }
    }

    /// Rows changed by the most recent INSERT/UPDATE/DELETE.
    public var changes: Int { (try? withHandle { Int(sqlite3_changes($0)) }) ?? 0 }

    /// The SQLite library version, e.g. "3.40.1".
    public static var libraryVersion: String { String(cString: sqlite3_libversion()) }

    /// The one place a SQLite result code becomes a Swift error.
    func check(_ rc: Int32, _ operation: String) throws {
        guard rc != SQLITE_OK else { return }
        throw SQLiteDatabase.error(rc: rc, db: handle, operation: operation)
    }

    static func error(rc: Int32, db: OpaquePointer?, operation: String) -> StorageError {
        // errmsg describes the latest failure on this connection; errstr is the generic text for rc.
        let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
        return StorageError(kind: .sqlite, code: rc, operation: operation, message: message)
    }
}
