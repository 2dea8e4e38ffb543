/// The `notifications:` section: where alerts are sent, chosen by severity, and how delivery
/// retries. Secrets (webhook URLs, PagerDuty routing keys, HMAC keys) are never in the file:
/// each destination names the environment variables that hold them. The default sends nothing.
public struct NotificationSettings: Sendable, Equatable {
    public struct Destination: Sendable, Equatable {
        /// Referred to by `routes`; appears in delivery rows and logs (never the URL).
        public var name: String
        public var kind: AlertDestinationKind
        /// Environment variable holding the URL (Slack incoming webhook, generic webhook;
        /// optional for PagerDuty).
        public var urlEnv: String?
        /// PagerDuty only: the Events API v2 endpoint, not a secret (default PagerDuty's own).
        public var url: String?
        /// PagerDuty: environment variable holding the integration's routing key.
        public var routingKeyEnv: String?
        /// Generic webhook: environment variable holding the HMAC-SHA256 key.
        public var secretEnv: String?

        public init(name: String, kind: AlertDestinationKind, urlEnv: String? = nil, url: String? = nil,
                    routingKeyEnv: String? = nil, secretEnv: String? = nil) {
            self.name = name; self.kind = kind; self.urlEnv = urlEnv; self.url = url
            self.routingKeyEnv = routingKeyEnv; self.secretEnv = secretEnv
        }
    }

    public static let pagerDutyEventsURL = "https://events.pagerduty.com/v2/enqueue"

    public var destinations: [Destination] = []
    /// Severity → destination names. A severity without a route is stored, not sent.
    public var routes: [AlertSeverity: [String]] = [:]
    /// Attempts per delivery before it is marked failed.
    public var maxAttempts = 8
    /// Backoff: the n-th retry waits base × 2^(n−1) seconds (capped), half of it jittered.
    public var retryBaseSeconds = 30.0
    public var retryMaxSeconds = 3_600.0
    /// Per HTTP call, connection included.
    public var timeoutMs = 10_000
    /// Also tell destinations when an alert resolves (PagerDuty `resolve`, a Slack/webhook message).
    public var sendResolved = true

    public init() {}

    public func destinations(for severity: AlertSeverity) -> [Destination] {
        let names = routes[severity] ?? []
        return names.compactMap { name in destinations.first { $0.name == name } }
    }
}
