import FinOpsCore
import Upstream

/// Anthropic Messages requests into the router's OpenAI form, and OpenAI answers back into
/// Anthropic messages (the reverse of the Anthropic provider adapter).
enum AnthropicInbound {
    static func chatRequest(fromMessages m: JSONValue) -> Result<JSONValue, RequestProblem> {
        guard case .object = m else {
            return .failure(.init(status: 400, code: "invalid_request", message: "The request body must be a JSON object."))
        }
        guard let model = m["model"]?.stringValue, !model.isEmpty else {
            return .failure(.init(status: 400, code: "missing_required_parameter", message: "model: Field required"))
        }
        guard let messages = m["messages"]?.arrayValue else {
            return .failure(.init(status: 400, code: "missing_required_parameter", message: "messages: Field required"))
        }
        var out: [JSONValue] = []
        if let system = m["system"] {
            let text = system.stringValue ?? (system.arrayValue ?? []).compactMap { $0["text"]?.stringValue }.joined(separator: "\n")
            if !text.isEmpty { out.append(.object([("role", .string("system")), ("content", .string(text))])) }
        }
        for (i, message) in messages.enumerated() {
            guard let role = message["role"]?.stringValue, role == "user" || role == "assistant" else {
                return .failure(.init(status: 400, code: "invalid_type", message: "messages.\(i).role: must be 'user' or 'assistant'"))
            }
            if let text = message["content"]?.stringValue {
                out.append(.object([("role", .string(role)), ("content", .string(text))]))
                continue
            }
            var parts: [JSONValue] = []
            var toolCalls: [JSONValue] = []
            for block in message["content"]?.arrayValue ?? [] {
                switch block["type"]?.stringValue {
                case "text":
                    parts.append(.object([("type", .string("text")), ("text", block["text"] ?? .string(""))]))
                case "image":
                    let source = block["source"]
                    let url = source?["type"]?.stringValue == "base64"
                        ? "data:\(source?["media_type"]?.stringValue ?? "image/png");base64,\(source?["data"]?.stringValue ?? "")"
                        : source?["url"]?.stringValue ?? ""
                    parts.append(.object([("type", .string("image_url")), ("image_url", .object([("url", .string(url))]))]))
                case "tool_use":
                    toolCalls.append(.object([("id", block["id"] ?? .string("")), ("type", .string("function")),
                                              ("function", .object([("name", block["name"] ?? .string("")),
                                                                    ("arguments", .string((block["input"] ?? .object([])).serializedString))]))]))
                case "tool_result":
                    let content = block["content"]?.stringValue
                        ?? (block["content"]?.arrayValue ?? []).compactMap { $0["text"]?.stringValue }.joined(separator: "\n")
                    out.append(.object([("role", .string("tool")), ("tool_call_id", block["tool_use_id"] ?? .string("")),
                                        ("content", .string(content))]))
                default:
                    continue
                }
            }
            if !parts.isEmpty || !toolCalls.isEmpty {
                var msg: [(String, JSONValue)] = [("role", .string(role)), ("content", parts.isEmpty ? .null : .array(parts))]
                if !toolCalls.isEmpty { msg.append(("tool_calls", .array(toolCalls))) }
                out.append(.object(msg))
            }
        }
        var chat: [(String, JSONValue)] = [("model", .string(model)), ("messages", .array(out))]
        if let max = m["max_tokens"] { chat.append(("max_tokens", max)) }
        for key in ["temperature", "top_p", "stream"] { if let v = m[key] { chat.append((key, v)) } }
        if let stops = m["stop_sequences"] { chat.append(("stop", stops)) }
        if let tools = m["tools"]?.arrayValue {
            chat.append(("tools", .array(tools.map { tool in
                .object([("type", .string("function")), ("function", .object([
                    ("name", tool["name"] ?? .string("")), ("description", tool["description"] ?? .string("")),
                    ("parameters", tool["input_schema"] ?? .object([])),
                ]))])
            })))
        }
        if let choice = m["tool_choice"] {
            switch choice["type"]?.stringValue {
            case "any": chat.append(("tool_choice", .string("required")))
            case "none": chat.append(("tool_choice", .string("none")))
            case "tool": chat.append(("tool_choice", .object([("type", .string("function")), ("function", .object([("name", choice["name"] ?? .string(""))]))])))
            default: chat.append(("tool_choice", .string("auto")))
            }
        }
        return .success(.object(chat))
    }

    static func stopReason(_ finish: String?) -> String {
        switch finish {
        case "length": return "max_tokens"
        case "tool_calls", "function_call": return "tool_use"
        case "content_filter": return "refusal"
        default: return "end_turn"
        }
    }

    static func usageJSON(_ u: TokenUsage) -> JSONValue {
        .object([
            ("input_tokens", .int(max(0, u.inputTokens - u.cachedInputTokens - u.cacheWriteTokens))),
            ("cache_creation_input_tokens", .int(u.cacheWriteTokens)), ("cache_read_input_tokens", .int(u.cachedInputTokens)),
            ("output_tokens", .int(u.outputTokens)),
        ])
    }

    static func message(fromChat chat: JSONValue, id: String, model: String, usage: TokenUsage?) -> JSONValue {
        let choice = chat["choices"]?.arrayValue?.first
        var content: [JSONValue] = []
        if let text = choice?["message"]?["content"]?.stringValue, !text.isEmpty {
            content.append(.object([("type", .string("text")), ("text", .string(text))]))
        }
        for call in choice?["message"]?["tool_calls"]?.arrayValue ?? [] {
            let args = call["function"]?["arguments"]?.stringValue ?? "{}"
            content.append(.object([("type", .string("tool_use")), ("id", call["id"] ?? .string("")),
                                    ("name", call["function"]?["name"] ?? .string("")),
                                    ("input", (try? JSONParser.parse(args)) ?? .object([]))]))
        }
        return .object([
            ("id", .string(id)), ("type", .string("message")), ("role", .string("assistant")), ("model", .string(model)),
            ("content", .array(content)),
            ("stop_reason", .string(stopReason(choice?["finish_reason"]?.stringValue))), ("stop_sequence", .null),
            ("usage", usageJSON(usage ?? TokenUsage())),
        ])
    }

    /// Anthropic's error shape, with its error type for the status.
    static func errorBody(status: Int, message: String) -> JSONValue {
        let type: String
        switch status {
        case 400, 404, 405, 413: type = status == 404 ? "not_found_error" : status == 413 ? "request_too_large" : "invalid_request_error"
        case 401: type = "authentication_error"
        case 403: type = "permission_error"
        case 429: type = "rate_limit_error"
        case 503, 529: type = "overloaded_error"
        default: type = "api_error"
        }
        return .object([("type", .string("error")), ("error", .object([("type", .string(type)), ("message", .string(message))]))])
    }
}
