/// A failure in a storage backend (SQLite, PostgreSQL, Redis) or in decoding what it returned.
///
/// `description` is safe to log: it carries the backend's code and message, never bound values,
/// passwords, prompts or API keys (connection strings are redacted before they get here).
public struct StorageError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Which layer failed; compare with the static members.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        public static let sqlite = Kind("sqlite")
        public static let postgres = Kind("postgres")
        public static let redis = Kind("redis")
        /// A stored value could not be turned back into a model value (bad enum, bad JSON).
        public static let invalidData = Kind("invalid_data")
        /// The handle was already closed.
        public static let closed = Kind("closed")
        /// A file-system step around the database (creating its directory) failed.
        public static let io = Kind("io")

        public var description: String { name }
    }

    public let kind: Kind
    /// The backend's own number: SQLite extended result code, libpq status, hiredis `err`; 0 if none.
    public let code: Int32
    /// What was being done, e.g. `prepare`, `connect`, `insert`.
    public let operation: String
    /// Human-readable reason, already stripped of secrets.
    public let message: String
    /// PostgreSQL's five-character SQLSTATE (`23505`, `42P01`...) when the server sent one.
    public let sqlState: String?

    public init(kind: Kind, code: Int32 = 0, operation: String, message: String, sqlState: String? = nil) {
        self.kind = kind
        self.code = code
        self.operation = operation
        self.message = message
        self.sqlState = sqlState
    }

    public var description: String {
        "\(kind) error during \(operation) (code \(code)): \(message)"
    }
}
