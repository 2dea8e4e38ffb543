import FinOpsCore

/// A configured destination with its secrets read from the environment. The secrets are
/// private and `description` names only the destination, so logging one leaks nothing.
public struct AlertDestination: Sendable, CustomStringConvertible {
    public let name: String
    public let kind: AlertDestinationKind
    let url: String
    let routingKey: String?
    let signingKey: [UInt8]?

    public var description: String { "\(name) (\(kind.rawValue))" }

    init(name: String, kind: AlertDestinationKind, url: String, routingKey: String? = nil, signingKey: [UInt8]? = nil) {
        self.name = name; self.kind = kind; self.url = url; self.routingKey = routingKey; self.signingKey = signingKey
    }

    /// Every destination of `settings`, its secrets looked up in `environment`. A missing or
    /// empty variable is an error naming the variable (config loading reports it first).
    public static func resolve(_ settings: NotificationSettings, environment: [String: String]) throws -> [AlertDestination] {
        try settings.destinations.map { d in
            func secret(_ variable: String?, _ what: String) throws -> String {
                guard let variable else {
                    throw SchedulerError(.invalidDestination, "destination '\(d.name)' (\(d.kind.rawValue)) needs \(what)")
                }
                guard let value = environment[variable], !value.isEmpty else {
                    throw SchedulerError(.missingSecret, "destination '\(d.name)': environment variable \(variable) is not set")
                }
                return value
            }
            switch d.kind {
            case .slack:
                return AlertDestination(name: d.name, kind: .slack, url: try secret(d.urlEnv, "url_env"))
            case .webhook:
                return AlertDestination(name: d.name, kind: .webhook, url: try secret(d.urlEnv, "url_env"),
                                        signingKey: Array(try secret(d.secretEnv, "secret_env").utf8))
            case .pagerduty:
                let url = try d.urlEnv.map { try secret($0, "url_env") } ?? d.url ?? NotificationSettings.pagerDutyEventsURL
                return AlertDestination(name: d.name, kind: .pagerduty, url: url,
                                        routingKey: try secret(d.routingKeyEnv, "routing_key_env"))
            }
        }
    }
}
