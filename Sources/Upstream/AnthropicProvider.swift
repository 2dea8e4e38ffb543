import FinOpsCore
import Foundation

/// Anthropic's Messages API (`POST /v1/messages`, `x-api-key`, `anthropic-version`), spoken in
/// the router's OpenAI format on both sides.
public struct AnthropicProvider: ChatProvider {
    public let name: String
    let baseURL: String
    let apiKey: String?
    let loop: CurlMultiLoop
    let timeouts: ProviderTimeouts

    public init(name: String, baseURL: String, apiKey: String?, loop: CurlMultiLoop, timeouts: ProviderTimeouts = .init()) {
        self.name = name
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiKey = apiKey
        self.loop = loop
        self.timeouts = timeouts
    }

    private func request(_ body: JSONValue, stream: Bool) -> UpstreamRequest {
        var headers: [(name: String, value: String)] = [
            ("Content-Type", "application/json"), ("anthropic-version", AnthropicFormat.apiVersion),
        ]
        if stream { headers.append(("Accept", "text/event-stream")) }
        if let apiKey, !apiKey.isEmpty { headers.append(("x-api-key", apiKey)) }
        return timeouts.request(url: baseURL + "/messages", headers: headers, body: body.serialized())
    }

    public func complete(_ call: ChatCall) async throws(ProviderError) -> ChatResult {
        let body = AnthropicFormat.messagesRequest(fromChat: call.request, model: call.model, stream: false)
        let response = try await ProviderHTTP.execute(loop, request(body, stream: false), provider: name)
        let json = try ProviderHTTP.jsonObject(response, provider: name)
        if json["type"]?.stringValue == "error" {
            throw ProviderError(provider: name, kind: .unavailable, upstreamStatus: response.status,
                                message: "provider \(name) returned an error with HTTP 200: \(json["error"]?["message"]?.stringValue?.prefix(300) ?? "unknown")")
        }
        guard json["content"]?.arrayValue != nil else {
            throw ProviderError(provider: name, kind: .invalidResponse, upstreamStatus: response.status,
                                message: "provider \(name) returned JSON without content")
        }
        let chat = AnthropicFormat.chatCompletion(fromMessage: json, model: call.model,
                                                  id: "chatcmpl-\(call.requestID)", created: Int(Date().timeIntervalSince1970))
        return ChatResult(body: chat.serialized(), usage: AnthropicFormat.usage(json["usage"]), completion: chat)
    }

    public func stream(_ call: ChatCall) async throws(ProviderError) -> ChatEventStream {
        let body = AnthropicFormat.messagesRequest(fromChat: call.request, model: call.model, stream: true)
        let upstream = try await ProviderHTTP.stream(loop, request(body, stream: true), provider: name)
        let decoder = AnthropicStreamDecoder(provider: name, model: call.model, id: "chatcmpl-\(call.requestID)",
                                             upstream: upstream.body)
        return AsyncThrowingStream(unfolding: { try await decoder.next() })
    }
}

/// Timeouts every HTTP provider takes from its config.
public struct ProviderTimeouts: Sendable {
    public var total: Duration
    public var connect: Duration
    public var streamIdle: Duration

    public init(total: Duration = .seconds(120), connect: Duration = .seconds(5), streamIdle: Duration = .seconds(60)) {
        self.total = total
        self.connect = connect
        self.streamIdle = streamIdle
    }

    func request(url: String, headers: [(name: String, value: String)], body: [UInt8]) -> UpstreamRequest {
        UpstreamRequest(url: url, headers: headers, body: body, timeout: total, connectTimeout: connect, idleTimeout: streamIdle)
    }
}
