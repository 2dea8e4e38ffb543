import FinOpsCore

/// OpenAI's chat completions wire format, spoken by OpenAI, Groq, Ollama, vLLM and most
/// self-hosted servers: base URL + bearer key.
public struct OpenAICompatibleProvider: ChatProvider {
    public let name: String
    let baseURL: String
    let apiKey: String?
    let loop: CurlMultiLoop
    let timeout: Duration
    let connectTimeout: Duration
    let idleTimeout: Duration

    /// `apiKey` is read from the environment by the caller; it is only ever put in the
    /// Authorization header.
    public init(name: String, baseURL: String, apiKey: String?, loop: CurlMultiLoop,
                timeout: Duration = .seconds(120), connectTimeout: Duration = .seconds(5),
                idleTimeout: Duration = .seconds(60)) {
        self.name = name
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiKey = apiKey
        self.loop = loop
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.idleTimeout = idleTimeout
    }

    private func upstreamRequest(_ body: [UInt8], stream: Bool) -> UpstreamRequest {
        var headers: [(name: String, value: String)] = [("Content-Type", "application/json")]
        if stream { headers.append(("Accept", "text/event-stream")) }
        if let apiKey, !apiKey.isEmpty { headers.append(("Authorization", "Bearer \(apiKey)")) }
        return UpstreamRequest(url: baseURL + "/chat/completions", headers: headers, body: body,
                               timeout: timeout, connectTimeout: connectTimeout, idleTimeout: idleTimeout)
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
        let response: UpstreamResponse
        do {
            response = try await loop.execute(upstreamRequest(body, stream: false))
        } catch let error as UpstreamError {
            throw ProviderError.from(error, provider: name)
        } catch {
            throw ProviderError(provider: name, kind: .transport, message: "\(error)")
        }
        guard (200..<300).contains(response.status) else {
            throw ProviderError.fromStatus(response.status, body: response.body,
                                           retryAfter: response.head.header("retry-after"), provider: name)
        }
        guard let json = try? JSONParser.parse(response.body), case .object = json else {
            let type = response.head.header("content-type") ?? "unknown content type"
            throw ProviderError(provider: name, kind: .invalidResponse, upstreamStatus: response.status,
                                message: "provider \(name) returned a body that is not JSON (\(type), \(response.body.count) bytes)")
        }
        if let message = json["error"]?["message"]?.stringValue ?? json["error"]?.stringValue {
            throw ProviderError(provider: name, kind: .unavailable, upstreamStatus: response.status,
                                message: "provider \(name) returned an error with HTTP 200: \(message.prefix(300))")
        }
        guard json["choices"]?.arrayValue != nil else {
            throw ProviderError(provider: name, kind: .invalidResponse, upstreamStatus: response.status,
                                message: "provider \(name) returned JSON without choices")
        }
        return ChatResult(body: response.body, usage: OpenAIWire.usage(json["usage"]),
                          text: OpenAIWire.firstChoiceText(json))
    }

    public func stream(_ call: ChatCall) async throws(ProviderError) -> ChatEventStream {
        var request = call.request
        request.set("model", .string(call.model))
        request.set("stream", .bool(true))
        // Ask for the final usage chunk so streamed calls are priced from real usage.
        request.set("stream_options", .object([("include_usage", .bool(true))]))
        let upstream: UpstreamStream
        do {
            upstream = try await loop.stream(upstreamRequest(request.serialized(), stream: true))
        } catch let error as UpstreamError {
            throw ProviderError.from(error, provider: name)
        } catch {
            throw ProviderError(provider: name, kind: .transport, message: "\(error)")
        }
        guard (200..<300).contains(upstream.head.status) else {
            var body: [UInt8] = []
            do {
                for try await chunk in upstream.body where body.count < 64 * 1024 { body += chunk }
            } catch {}
            throw ProviderError.fromStatus(upstream.head.status, body: body,
                                           retryAfter: upstream.head.header("retry-after"), provider: name)
        }
        let decoder = OpenAIStreamDecoder(provider: name, upstream: upstream.body)
        return AsyncThrowingStream(unfolding: { try await decoder.next() })
    }
}

/// Turns upstream SSE bytes into chunk and usage events. Used by a single consumer.
final class OpenAIStreamDecoder: @unchecked Sendable {
    private let provider: String
    private var iterator: AsyncThrowingStream<[UInt8], any Error>.AsyncIterator
    private var parser = SSEParser()
    private var ready: [ChatStreamEvent] = []
    private var sawDone = false
    private var finished = false

    init(provider: String, upstream: AsyncThrowingStream<[UInt8], any Error>) {
        self.provider = provider
        self.iterator = upstream.makeAsyncIterator()
    }

    func next() async throws -> ChatStreamEvent? {
        while ready.isEmpty {
            if finished { return nil }
            let bytes: [UInt8]?
            do {
                bytes = try await iterator.next()
            } catch let error as UpstreamError {
                finished = true
                throw ProviderError(provider: provider, kind: .streamInterrupted,
                                    message: "stream from \(provider) broke: \(error.detail)")
            }
            guard let bytes else {
                finished = true
                if sawDone { return nil }
                throw ProviderError(provider: provider, kind: .streamInterrupted,
                                    message: "stream from \(provider) ended without [DONE]")
            }
            for event in parser.feed(bytes) { try handle(event) }
        }
        return ready.removeFirst()
    }

    private func handle(_ event: SSEParser.Event) throws {
        if event.data == "[DONE]" {
            sawDone = true
            finished = true
            return
        }
        guard let chunk = try? JSONParser.parse(event.data) else {
            throw ProviderError(provider: provider, kind: .streamInterrupted,
                                message: "stream from \(provider) sent an event that is not JSON")
        }
        if let error = chunk["error"] {
            let message = error["message"]?.stringValue ?? "unknown error"
            throw ProviderError(provider: provider, kind: .streamInterrupted,
                                message: "stream from \(provider) failed mid-way: \(message.prefix(300))")
        }
        let usage = OpenAIWire.usage(chunk["usage"])
        let choices = chunk["choices"]?.arrayValue ?? []
        if !choices.isEmpty {
            var passed = chunk
            passed.remove("usage")
            ready.append(.chunk(passed))
        }
        if let usage { ready.append(.usage(usage)) }
    }
}
