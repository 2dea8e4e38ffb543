/// A scheduler problem with a description that is safe to log: it names destinations and
/// environment variables, never their values (URLs, routing keys, secrets).
public struct SchedulerError: Error, CustomStringConvertible, Equatable {
    public enum Kind: String, Sendable {
        case missingSecret = "missing_secret"
        case invalidDestination = "invalid_destination"
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "\(kind.rawValue): \(message)" }
}
