import FinOpsCore

/// An OpenAI-format embeddings request (`input` is a string or a list of strings) for a
/// provider's model.
public struct EmbeddingCall: Sendable {
    public var requestID: String
    public var model: String
    public var request: JSONValue
    public var inputs: [String]

    public init(requestID: String, model: String, request: JSONValue, inputs: [String]) {
        self.requestID = requestID
        self.model = model
        self.request = request
        self.inputs = inputs
    }
}

public struct EmbeddingResult: Sendable {
    /// OpenAI `{"object":"list","data":[{"embedding":[...]}],"usage":{...}}`.
    public var body: [UInt8]
    public var inputTokens: Int?

    public init(body: [UInt8], inputTokens: Int?) {
        self.body = body
        self.inputTokens = inputTokens
    }
}

/// Providers that can embed text. Anthropic has no embeddings API, so its adapter does not conform.
public protocol EmbeddingProvider: ChatProvider {
    func embed(_ call: EmbeddingCall) async throws(ProviderError) -> EmbeddingResult
}

extension OpenAICompatibleProvider: EmbeddingProvider {
    public func embed(_ call: EmbeddingCall) async throws(ProviderError) -> EmbeddingResult {
        var request = call.request
        request.set("model", .string(call.model))
        var headers: [(name: String, value: String)] = [("Content-Type", "application/json")]
        if let apiKey, !apiKey.isEmpty {
            switch flavor {
            case .openAI: headers.append(("Authorization", "Bearer \(apiKey)"))
            case .azure: headers.append(("api-key", apiKey))
            }
        }
        let url = self.url(model: call.model).replacingOccurrences(of: "/chat/completions", with: "/embeddings")
        let response = try await ProviderHTTP.execute(loop, timeouts.request(url: url, headers: headers, body: request.serialized()),
                                                      provider: name)
        let json = try ProviderHTTP.jsonObject(response, provider: name)
        guard json["data"]?.arrayValue != nil else {
            throw ProviderError(provider: name, kind: .invalidResponse, upstreamStatus: response.status,
                                message: "provider \(name) returned embeddings JSON without data")
        }
        return EmbeddingResult(body: response.body, inputTokens: json["usage"]?["prompt_tokens"]?.intValue)
    }
}

extension SimulatorProvider: EmbeddingProvider {
    /// Deterministic unit vectors from hashed character trigrams: similar texts get similar
    /// vectors, so it also serves local semantic caching and demos.
    public func embed(_ call: EmbeddingCall) async throws(ProviderError) -> EmbeddingResult {
        let dimensions = call.request["dimensions"]?.intValue ?? 256
        var data: [JSONValue] = []
        var tokens = 0
        for (i, text) in call.inputs.enumerated() {
            tokens += CostCalculator.estimateTokens(text: text)
            let vector = HashedNGramEmbedder.embed(text, dimensions: max(8, min(dimensions, 4096)))
            data.append(.object([("object", .string("embedding")), ("index", .int(i)),
                                 ("embedding", .array(vector.map { .number(String(Float($0))) }))]))
        }
        let body: JSONValue = .object([
            ("object", .string("list")), ("data", .array(data)), ("model", .string(call.model)),
            ("usage", .object([("prompt_tokens", .int(tokens)), ("total_tokens", .int(tokens))])),
        ])
        return EmbeddingResult(body: body.serialized(), inputTokens: tokens)
    }
}

/// Character-trigram feature hashing into a fixed-size, L2-normalised vector.
public enum HashedNGramEmbedder {
    public static func embed(_ text: String, dimensions: Int) -> [Double] {
        var v = [Double](repeating: 0, count: dimensions)
        let chars = Array(" " + text.lowercased() + " ")
        if chars.count >= 3 {
            for i in 0...(chars.count - 3) {
                let gram = String(chars[i..<(i + 3)])
                let h = SimulatorProvider.fnv1a(gram)
                v[Int(h % UInt64(dimensions))] += (h >> 63) == 0 ? 1 : -1
            }
        }
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? v.map { $0 / norm } : v
    }
}
