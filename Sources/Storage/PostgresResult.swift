import CLibPQ
import Foundation

/// The rows of a finished statement, in text format (SQL NULL is nil), copied out of libpq.
public struct PostgresResult: Sendable, Equatable {
    public var rows: [[String?]]
    /// Rows inserted, updated or deleted (`PQcmdTuples`), 0 for other statements.
    public var affectedRows: Int

    /// Copies the rows out of `result` and clears it (the caller must not touch it again).
    init(consuming result: OpaquePointer) {
        defer { PQclear(result) }
        let rowCount = PQntuples(result)
        let columnCount = PQnfields(result)
        rows = (0..<rowCount).map { row in
            (0..<columnCount).map { column -> String? in
                guard PQgetisnull(result, row, column) == 0, let value = PQgetvalue(result, row, column) else { return nil }
                return String(cString: value)
            }
        }
        affectedRows = PQcmdTuples(result).map { Int(String(cString: $0)) ?? 0 } ?? 0
    }

    /// The only non-NULL value of a one-row, one-column result.
    public func scalar() throws -> String {
        guard let value = rows.first?.first ?? nil else {
            throw StorageError(kind: .invalidData, operation: "read result", message: "expected one value, got none")
        }
        return value
    }
}

/// Calls `body` with NUL-terminated copies of `strings` that live for the whole call (nil stays
/// a null pointer: SQL NULL, or the end of a libpq keyword list).
func withCStrings<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) throws -> R) rethrows -> R {
    let copies: [UnsafeMutablePointer<CChar>?] = strings.map { $0.map { strdup($0)! } }
    defer { copies.forEach { free($0) } }
    return try body(copies.map { $0.map { UnsafePointer($0) } })
}
