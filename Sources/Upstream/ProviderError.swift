/// A provider call that failed, classified for failover and for the client's status code.
/// `message` is safe to show: it never contains keys, auth headers or prompt text.
public struct ProviderError: Error, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable {
        case rateLimited = "upstream_rate_limited"
        case unavailable = "upstream_unavailable"
        case auth = "upstream_auth"
        case badRequest = "upstream_bad_request"
        case invalidResponse = "upstream_invalid_response"
        case timeout = "upstream_timeout"
        case connect = "upstream_connect"
        case transport = "upstream_transport"
        case streamInterrupted = "upstream_stream_interrupted"
        case cancelled = "cancelled"
    }

    public var provider: String
    public var kind: Kind
    /// The provider's HTTP status, when it answered.
    public var upstreamStatus: Int?
    public var message: String
    /// Seconds, from the provider's `Retry-After`.
    public var retryAfter: Double?

    public init(provider: String, kind: Kind, upstreamStatus: Int? = nil, message: String, retryAfter: Double? = nil) {
        self.provider = provider
        self.kind = kind
        self.upstreamStatus = upstreamStatus
        self.message = message
        self.retryAfter = retryAfter
    }

    public var description: String { "\(provider): \(kind.rawValue): \(message)" }

    /// Status the router answers with.
    public var clientStatus: Int {
        switch kind {
        case .rateLimited: return 429
        case .badRequest: return upstreamStatus.flatMap { (400..<500).contains($0) ? $0 : nil } ?? 400
        case .timeout: return 504
        case .unavailable: return 503
        case .cancelled: return 499
        case .auth, .invalidResponse, .connect, .transport, .streamInterrupted: return 502
        }
    }

    /// Whether another attempt (or another provider) could succeed.
    public var isRetryable: Bool {
        switch kind {
        case .rateLimited, .unavailable, .timeout, .connect, .transport, .invalidResponse: return true
        case .auth, .badRequest, .streamInterrupted, .cancelled: return false
        }
    }

    static func from(_ error: UpstreamError, provider: String) -> ProviderError {
        let kind: Kind
        switch error.kind {
        case .connect: kind = .connect
        case .timeout: kind = .timeout
        case .transport: kind = .transport
        case .cancelled: kind = .cancelled
        }
        return ProviderError(provider: provider, kind: kind, message: error.detail)
    }

    /// Classifies a non-2xx answer. The provider's own error message is kept (it explains a 400)
    /// but cut short, and auth failures get a fixed text so nothing of the key can leak back.
    static func fromStatus(_ status: Int, body: [UInt8], retryAfter: String?, provider: String) -> ProviderError {
        let upstreamMessage = OpenAIWire.errorMessage(in: body)
        let retry = retryAfter.flatMap { RetryAfter.seconds($0) }
        switch status {
        case 401, 403:
            return ProviderError(provider: provider, kind: .auth, upstreamStatus: status,
                                 message: "provider \(provider) rejected the router's credentials (HTTP \(status)); check the API key environment variable")
        case 429:
            return ProviderError(provider: provider, kind: .rateLimited, upstreamStatus: status,
                                 message: "provider \(provider) is rate limiting (HTTP 429)" + (upstreamMessage.map { ": \($0)" } ?? ""), retryAfter: retry)
        case 400..<500:
            return ProviderError(provider: provider, kind: .badRequest, upstreamStatus: status,
                                 message: upstreamMessage ?? "provider \(provider) rejected the request (HTTP \(status))")
        default:
            return ProviderError(provider: provider, kind: .unavailable, upstreamStatus: status,
                                 message: "provider \(provider) failed with HTTP \(status)" + (upstreamMessage.map { ": \($0)" } ?? ""), retryAfter: retry)
        }
    }
}

import Foundation

/// `Retry-After` is either delay-seconds or an HTTP-date (RFC 9110 §10.2.3).
enum RetryAfter {
    static func seconds(_ value: String, now: Date = Date()) -> Double? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let s = Double(trimmed) { return max(0, s) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}
