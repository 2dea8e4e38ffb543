import CSQLite

/// A value bound to a `?` placeholder.
public enum SQLiteValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
}

/// A compiled statement. Owns the `sqlite3_stmt*` (finalized once, in `deinit`) and keeps its
/// connection alive. Reuse it: `execute`/`query` bind, run and reset it each time.
public final class SQLiteStatement {
    private let handle: OpaquePointer
    private let database: SQLiteDatabase

    init(handle: OpaquePointer, database: SQLiteDatabase) {
        self.handle = handle
        self.database = database
    }

    deinit { sqlite3_finalize(handle) }

    /// Binds `values` to placeholders 1...n (SQLite copies text: `SQLITE_TRANSIENT`).
    public func bind(_ values: [SQLiteValue]) throws {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard values.count == expected else {
            throw StorageError(kind: .sqlite, code: SQLITE_RANGE, operation: "bind",
                               message: "statement takes \(expected) parameters, got \(values.count)")
        }
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let rc: Int32
            switch value {
            case .null: rc = sqlite3_bind_null(handle, index)
            case .integer(let v): rc = sqlite3_bind_int64(handle, index, v)
            case .real(let v): rc = sqlite3_bind_double(handle, index, v)
            case .text(let v):
                // Explicit byte length, so text with an embedded NUL is stored whole.
                rc = sqlite3_bind_text(handle, index, v, Int32(v.utf8.count), FINOPS_SQLITE_TRANSIENT)
            }
            try database.check(rc, "bind")
        }
    }

    /// Advances one row: true when a row is available, false when done.
    public func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let rc: try database.check(rc, "step"); return false
        }
    }

    /// Binds, runs to completion, and resets (for INSERT/UPDATE/DELETE/DDL).
    public func execute(_ values: [SQLiteValue] = []) throws {
        defer { sqlite3_reset(handle) }
        try bind(values)
        while try step() {}
    }

    /// Binds, then maps every result row through `transform`.
    public func query<T>(_ values: [SQLiteValue] = [], _ transform: (SQLiteRow) throws -> T) throws -> [T] {
        defer { sqlite3_reset(handle) }
        try bind(values)
        var rows: [T] = []
        while try step() {
            rows.append(try transform(SQLiteRow(handle: handle)))
        }
        return rows
    }
}

/// The current row of a statement; valid only inside the `query` closure it is passed to.
public struct SQLiteRow {
    fileprivate let handle: OpaquePointer

    public func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }
    public func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
    public func int(_ column: Int32) -> Int { Int(truncatingIfNeeded: sqlite3_column_int64(handle, column)) }
    public func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }
    public func bool(_ column: Int32) -> Bool { sqlite3_column_int64(handle, column) != 0 }
    public func text(_ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }
    public func optionalInt(_ column: Int32) -> Int? { isNull(column) ? nil : int(column) }
    public func optionalDouble(_ column: Int32) -> Double? { isNull(column) ? nil : double(column) }
    public func optionalText(_ column: Int32) -> String? { isNull(column) ? nil : text(column) }
}
