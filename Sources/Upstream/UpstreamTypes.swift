/// One HTTP call to a provider. The body is sent as-is; headers may carry credentials, so
/// nothing here is ever logged.
public struct UpstreamRequest: Sendable {
    public var url: String
    public var method: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Whole-call limit (buffered calls) or time to the response head (streams).
    public var timeout: Duration
    public var connectTimeout: Duration
    /// Streams only: fail when no byte arrives for this long.
    public var idleTimeout: Duration
    /// Sign the request with AWS Signature V4 (libcurl's CURLOPT_AWS_SIGV4).
    public var awsSigning: AWSSigning?

    public init(url: String, method: String = "POST", headers: [(name: String, value: String)] = [],
                body: [UInt8] = [], timeout: Duration = .seconds(120), connectTimeout: Duration = .seconds(5),
                idleTimeout: Duration = .seconds(60)) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.idleTimeout = idleTimeout
    }
}

/// Credentials and scope for AWS SigV4; never logged (`description` hides the secret).
public struct AWSSigning: Sendable, CustomStringConvertible {
    public var region: String
    public var service: String
    public var accessKeyID: String
    public var secretAccessKey: String
    public var sessionToken: String?

    public init(region: String, service: String, accessKeyID: String, secretAccessKey: String, sessionToken: String?) {
        self.region = region
        self.service = service
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    /// curl's provider string: "aws:amz:<region>:<service>".
    var curlProvider: String { "aws:amz:\(region):\(service)" }
    public var description: String { "AWSSigning(region: \(region), service: \(service), key: \(accessKeyID.prefix(4))…)" }
}

public struct UpstreamResponseHead: Sendable {
    public var status: Int
    /// Names lower-cased.
    public var headers: [(name: String, value: String)]

    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first(where: { $0.name == lowered })?.value
    }
}

public struct UpstreamResponse: Sendable {
    public var head: UpstreamResponseHead
    public var body: [UInt8]
    public var status: Int { head.status }
}

/// A streamed response: the head arrives first, then body chunks as the provider sends them.
/// Ending iteration early (or cancelling the consuming task) cancels the transfer.
public struct UpstreamStream: Sendable {
    public var head: UpstreamResponseHead
    public var body: AsyncThrowingStream<[UInt8], any Error>
}

/// Transport failures. Descriptions name what failed, never URLs' credentials or headers.
public struct UpstreamError: Error, CustomStringConvertible, Equatable {
    public enum Kind: String, Sendable {
        case connect = "upstream_connect"
        case timeout = "upstream_timeout"
        case transport = "upstream_transport"
        case cancelled = "cancelled"
    }
    public let kind: Kind
    public let detail: String

    public init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    public var description: String { "\(kind.rawValue): \(detail)" }
}
