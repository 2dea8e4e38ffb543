import FinOpsCore
import Foundation

/// OpenAI's chat completions wire format, spoken by OpenAI, Groq, Ollama, vLLM and most
/// self-hosted servers (base URL + bearer key), and by Azure OpenAI (deployment URLs,
/// `api-version`, `api-key` header).
public struct OpenAICompatibleProvider: ChatProvider {
    public enum Flavor: Sendable, Equatable {
        case openAI
        /// `deployments` maps a model name to its Azure deployment (default: the model name).
        case azure(apiVersion: String, deployments: [String: String])
    }

    public let name: String
    let baseURL: String
    let apiKey: String?
    let flavor: Flavor
    let loop: CurlMultiLoop
    let timeouts: ProviderTimeouts

    /// `apiKey` is read from the environment by the caller; it only ever goes into the auth header.
    public init(name: String, baseURL: String, apiKey: String?, flavor: Flavor = .openAI, loop: CurlMultiLoop,
                timeouts: ProviderTimeouts = .init()) {
        self.name = name
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiKey = apiKey
        self.flavor = flavor
        self.loop = loop
        self.timeouts = timeouts
    }

    func url(model: String) -> String {
        switch flavor {
        case .openAI:
            return baseURL + "/chat/completions"
        case .azure(let version, let deployments):
            let deployment = deployments[model] ?? model
            return "\(baseURL)/openai/deployments/\(percentEncoded(deployment))/chat/completions?api-version=\(percentEncoded(version))"
        }
    }

    private func upstreamRequest(_ body: [UInt8], model: String, stream: Bool) -> UpstreamRequest {
        var headers: [(name: String, value: String)] = [("Content-Type", "application/json")]
        if stream { headers.append(("Accept", "text/event-stream")) }
        if let apiKey, !apiKey.isEmpty {
            switch flavor {
            case .openAI: headers.append(("Authorization", "Bearer \(apiKey)"))
            case .azure: headers.append(("api-key", apiKey))
            }
        }
        return timeouts.request(url: url(model: model), headers: headers, body: body)
    }

    public func complete(_ call: ChatCall) async throws(ProviderError) -> ChatResult {
        let body: [UInt8]
        if let original = call.originalBody, call.request["model"]?.stringValue == call.model,
           call.request["stream"]?.boolValue != true, call.request["stream_options"] == nil {
            body = original
        } else {
            var request = call.request
            request.set("model", .string(call.model))
            request.remove("stream_options")
            request.set("stream", .bool(false))
            body = request.serialized()
        }
        let response = try await ProviderHTTP.execute(loop, upstreamRequest(body, model: call.model, stream: false), provider: name)
        let json = try ProviderHTTP.jsonObject(response, provider: name)
        if let message = json["error"]?["message"]?.stringValue ?? json["error"]?.stringValue {
            throw ProviderError(provider: name, kind: .unavailable, upstreamStatus: response.status,
                                message: "provider \(name) returned an error with HTTP 200: \(message.prefix(300))")
        }
        guard json["choices"]?.arrayValue != nil else {
            throw ProviderError(provider: name, kind: .invalidResponse, upstreamStatus: response.status,
                                message: "provider \(name) returned JSON without choices")
        }
        return ChatResult(body: response.body, usage: OpenAIWire.usage(json["usage"]), completion: json)
    }

    public func stream(_ call: ChatCall) async throws(ProviderError) -> ChatEventStream {
        var request = call.request
        request.set("model", .string(call.model))
        request.set("stream", .bool(true))
        // Ask for the final usage chunk so streamed calls are priced from real usage.
        request.set("stream_options", .object([("include_usage", .bool(true))]))
        let upstream = try await ProviderHTTP.stream(loop, upstreamRequest(request.serialized(), model: call.model, stream: true),
                                                     provider: name)
        let decoder = OpenAIStreamDecoder(provider: name, upstream: upstream.body)
        return AsyncThrowingStream(unfolding: { try await decoder.next() })
    }

    private func percentEncoded(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?&="))) ?? s
    }
}

/// Turns upstream SSE bytes into chunk and usage events.
final class OpenAIStreamDecoder: ProviderEventStream, @unchecked Sendable {
    private var parser = SSEParser()

    init(provider: String, upstream: AsyncThrowingStream<[UInt8], any Error>) {
        super.init(provider: provider, terminator: "[DONE]", upstream: upstream)
    }

    override func consume(_ bytes: [UInt8]) throws {
        for event in parser.feed(bytes) where !complete { try handle(event) }
    }

    private func handle(_ event: SSEParser.Event) throws {
        if event.data == "[DONE]" {
            complete = true
            return
        }
        guard let chunk = try? JSONParser.parse(event.data) else { throw interrupted("sent an event that is not JSON") }
        if let error = chunk["error"] {
            throw interrupted("failed mid-way: \((error["message"]?.stringValue ?? "unknown error").prefix(300))")
        }
        let usage = OpenAIWire.usage(chunk["usage"])
        let choices = chunk["choices"]?.arrayValue ?? []
        if !choices.isEmpty {
            if usage == nil, chunk["usage"]?.isNull ?? true {
                ready.append(.chunk(chunk, raw: Array(event.data.utf8)))
            } else {
                var passed = chunk
                passed.remove("usage")
                ready.append(.chunk(passed))
            }
        }
        if let usage { ready.append(.usage(usage)) }
    }
}
