import FinOpsCore

/// A client error found before any provider is called.
struct RequestProblem: Error {
    var status: Int
    var code: String
    var message: String
}

/// The validated parts of a chat request; the body itself is forwarded as parsed.
struct ParsedChatRequest: Sendable {
    var body: JSONValue
    var model: String
    var stream: Bool
    /// The client asked for the final usage chunk (`stream_options.include_usage`).
    var clientWantsUsage: Bool
    var promptText: String
    /// The client's own bytes when they are already OpenAI format (forwarded untouched if
    /// nothing needs changing); nil for requests translated from another format.
    var original: [UInt8]?

    static func parse(_ bytes: [UInt8]) -> Result<ParsedChatRequest, RequestProblem> {
        guard !bytes.isEmpty else {
            return .failure(.init(status: 400, code: "invalid_json", message: "The request body is empty; send a JSON chat completion request."))
        }
        let body: JSONValue
        do {
            body = try JSONParser.parse(bytes)
        } catch {
            return .failure(.init(status: 400, code: "invalid_json", message: "The request body is not valid JSON (\(error))."))
        }
        guard case .object(let pairs) = body else {
            return .failure(.init(status: 400, code: "invalid_request", message: "The request body must be a JSON object."))
        }
        // A repeated key would be read one way here and maybe another way by the provider
        // (which could then serve a different model than the one priced).
        var seen = Set<String>()
        for (key, _) in pairs where !seen.insert(key).inserted {
            return .failure(.init(status: 400, code: "invalid_request", message: "The key '\(key)' appears more than once."))
        }
        guard let modelValue = body["model"] else {
            return .failure(.init(status: 400, code: "missing_required_parameter", message: "Missing required parameter: 'model'."))
        }
        guard let model = modelValue.stringValue, !model.isEmpty else {
            return .failure(.init(status: 400, code: "invalid_type", message: "'model' must be a non-empty string."))
        }
        guard let messagesValue = body["messages"] else {
            return .failure(.init(status: 400, code: "missing_required_parameter", message: "Missing required parameter: 'messages'."))
        }
        guard let messages = messagesValue.arrayValue, !messages.isEmpty else {
            return .failure(.init(status: 400, code: "invalid_type", message: "'messages' must be a non-empty array."))
        }
        var prompt: [String] = []
        for (i, message) in messages.enumerated() {
            guard case .object = message, let role = message["role"]?.stringValue else {
                return .failure(.init(status: 400, code: "invalid_type", message: "messages[\(i)] must be an object with a string 'role'."))
            }
            _ = role
            if let text = message["content"]?.stringValue { prompt.append(text) }
            for part in message["content"]?.arrayValue ?? [] {
                if let text = part["text"]?.stringValue { prompt.append(text) }
            }
        }
        var stream = false
        if let s = body["stream"], !s.isNull {
            guard let b = s.boolValue else {
                return .failure(.init(status: 400, code: "invalid_type", message: "'stream' must be a boolean."))
            }
            stream = b
        }
        let wantsUsage = body["stream_options"]?["include_usage"]?.boolValue ?? false
        return .success(ParsedChatRequest(body: body, model: model, stream: stream, clientWantsUsage: wantsUsage,
                                          promptText: prompt.joined(separator: "\n"), original: bytes))
    }
}
