import FinOpsCore

/// Translation between OpenAI chat format (the router's internal format) and Anthropic's
/// Messages API, both ways: system prompts, multi-part content, images, tools and tool results,
/// stop reasons and usage (cache reads and writes included).
public enum AnthropicFormat {
    public static let apiVersion = "2023-06-01"
    static let defaultMaxTokens = 4096

    // MARK: OpenAI request → Anthropic request

    public static func messagesRequest(fromChat chat: JSONValue, model: String, stream: Bool) -> JSONValue {
        var system: [String] = []
        var messages: [JSONValue] = []
        for message in chat["messages"]?.arrayValue ?? [] {
            let role = message["role"]?.stringValue ?? "user"
            switch role {
            case "system", "developer":
                system.append(plainText(message["content"]))
            case "tool":
                let block: JSONValue = .object([
                    ("type", .string("tool_result")),
                    ("tool_use_id", .string(message["tool_call_id"]?.stringValue ?? "")),
                    ("content", .string(plainText(message["content"]))),
                ])
                appendBlocks([block], role: "user", to: &messages)
            case "assistant":
                var blocks = contentBlocks(message["content"])
                for call in message["tool_calls"]?.arrayValue ?? [] {
                    let arguments = call["function"]?["arguments"]?.stringValue ?? "{}"
                    blocks.append(.object([
                        ("type", .string("tool_use")),
                        ("id", .string(call["id"]?.stringValue ?? "")),
                        ("name", .string(call["function"]?["name"]?.stringValue ?? "")),
                        ("input", (try? JSONParser.parse(arguments)) ?? .object([])),
                    ]))
                }
                appendBlocks(blocks, role: "assistant", to: &messages)
            default:
                appendBlocks(contentBlocks(message["content"]), role: "user", to: &messages)
            }
        }
        var out: [(String, JSONValue)] = [("model", .string(model))]
        if !system.isEmpty { out.append(("system", .string(system.joined(separator: "\n\n")))) }
        out.append(("messages", .array(messages)))
        let maxTokens = chat["max_completion_tokens"]?.intValue ?? chat["max_tokens"]?.intValue ?? defaultMaxTokens
        out.append(("max_tokens", .int(maxTokens)))
        for key in ["temperature", "top_p"] { if let v = chat[key], !v.isNull { out.append((key, v)) } }
        if let stop = chat["stop"] {
            if let s = stop.stringValue { out.append(("stop_sequences", .array([.string(s)]))) }
            else if let list = stop.arrayValue { out.append(("stop_sequences", .array(list))) }
        }
        if let tools = chat["tools"]?.arrayValue, !tools.isEmpty {
            out.append(("tools", .array(tools.compactMap { tool -> JSONValue? in
                guard let fn = tool["function"] else { return nil }
                return .object([
                    ("name", fn["name"] ?? .string("")),
                    ("description", fn["description"] ?? .string("")),
                    ("input_schema", fn["parameters"] ?? .object([("type", .string("object"))])),
                ])
            })))
            if let choice = toolChoice(chat["tool_choice"]) { out.append(("tool_choice", choice)) }
        }
        if let user = chat["user"]?.stringValue { out.append(("metadata", .object([("user_id", .string(user))]))) }
        if stream { out.append(("stream", .bool(true))) }
        return .object(out)
    }

    private static func toolChoice(_ choice: JSONValue?) -> JSONValue? {
        guard let choice else { return nil }
        if let s = choice.stringValue {
            switch s {
            case "auto": return .object([("type", .string("auto"))])
            case "required": return .object([("type", .string("any"))])
            case "none": return .object([("type", .string("none"))])
            default: return nil
            }
        }
        if let name = choice["function"]?["name"]?.stringValue {
            return .object([("type", .string("tool")), ("name", .string(name))])
        }
        return nil
    }

    /// Consecutive messages of the same role are merged: Anthropic requires alternation.
    private static func appendBlocks(_ blocks: [JSONValue], role: String, to messages: inout [JSONValue]) {
        if let last = messages.last, last["role"]?.stringValue == role, var existing = last["content"]?.arrayValue {
            existing += blocks
            messages[messages.count - 1] = .object([("role", .string(role)), ("content", .array(existing))])
        } else {
            messages.append(.object([("role", .string(role)), ("content", .array(blocks))]))
        }
    }

    static func contentBlocks(_ content: JSONValue?) -> [JSONValue] {
        guard let content else { return [] }
        if let s = content.stringValue { return s.isEmpty ? [] : [.object([("type", .string("text")), ("text", .string(s))])] }
        var blocks: [JSONValue] = []
        for part in content.arrayValue ?? [] {
            switch part["type"]?.stringValue {
            case "text":
                blocks.append(.object([("type", .string("text")), ("text", part["text"] ?? .string(""))]))
            case "image_url":
                let url = part["image_url"]?["url"]?.stringValue ?? ""
                blocks.append(imageBlock(url))
            default:
                continue
            }
        }
        return blocks
    }

    private static func imageBlock(_ url: String) -> JSONValue {
        // data:image/png;base64,AAAA → a base64 source; anything else → a URL source.
        if url.hasPrefix("data:"), let comma = url.firstIndex(of: ","), let semi = url.firstIndex(of: ";") {
            let mediaType = String(url[url.index(url.startIndex, offsetBy: 5)..<semi])
            return .object([("type", .string("image")), ("source", .object([
                ("type", .string("base64")), ("media_type", .string(mediaType)),
                ("data", .string(String(url[url.index(after: comma)...]))),
            ]))])
        }
        return .object([("type", .string("image")), ("source", .object([("type", .string("url")), ("url", .string(url))]))])
    }

    public static func plainText(_ content: JSONValue?) -> String {
        if let s = content?.stringValue { return s }
        return (content?.arrayValue ?? []).compactMap { $0["text"]?.stringValue }.joined(separator: "\n")
    }

    // MARK: Anthropic response → OpenAI response

    /// Anthropic usage: `input_tokens` excludes cache reads and writes, which come separately.
    /// OpenAI's `prompt_tokens` is the total, so the three are added.
    public static func usage(_ u: JSONValue?) -> TokenUsage? {
        guard let u, let input = u["input_tokens"]?.intValue else { return nil }
        let read = u["cache_read_input_tokens"]?.intValue ?? 0
        let write = u["cache_creation_input_tokens"]?.intValue ?? 0
        return TokenUsage(inputTokens: input + read + write, cachedInputTokens: read, cacheWriteTokens: write,
                          outputTokens: u["output_tokens"]?.intValue ?? 0)
    }

    public static func finishReason(_ stopReason: String?) -> String? {
        switch stopReason {
        case nil: return nil
        case "end_turn", "stop_sequence", "pause_turn": return "stop"
        case "max_tokens", "model_context_window_exceeded": return "length"
        case "tool_use": return "tool_calls"
        case "refusal": return "content_filter"
        default: return "stop"
        }
    }

    public static func chatCompletion(fromMessage message: JSONValue, model: String, id: String, created: Int) -> JSONValue {
        var text = ""
        var toolCalls: [JSONValue] = []
        for block in message["content"]?.arrayValue ?? [] {
            switch block["type"]?.stringValue {
            case "text": text += block["text"]?.stringValue ?? ""
            case "tool_use":
                toolCalls.append(.object([
                    ("id", block["id"] ?? .string("")), ("type", .string("function")),
                    ("function", .object([("name", block["name"] ?? .string("")),
                                          ("arguments", .string((block["input"] ?? .object([])).serializedString))])),
                ]))
            default: continue
            }
        }
        var msg: [(String, JSONValue)] = [("role", .string("assistant")), ("content", text.isEmpty && !toolCalls.isEmpty ? .null : .string(text))]
        if !toolCalls.isEmpty { msg.append(("tool_calls", .array(toolCalls))) }
        var out: [(String, JSONValue)] = [
            ("id", .string(id)), ("object", .string("chat.completion")), ("created", .int(created)),
            ("model", .string(message["model"]?.stringValue ?? model)),
            ("choices", .array([.object([("index", .int(0)), ("message", .object(msg)),
                                         ("finish_reason", finishReason(message["stop_reason"]?.stringValue).map { .string($0) } ?? .null)])])),
        ]
        if let u = usage(message["usage"]) { out.append(("usage", openAIUsage(u))) }
        return .object(out)
    }

    public static func openAIUsage(_ u: TokenUsage) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("prompt_tokens", .int(u.inputTokens)), ("completion_tokens", .int(u.outputTokens)),
            ("total_tokens", .int(u.inputTokens + u.outputTokens)),
        ]
        if u.cachedInputTokens > 0 { fields.append(("prompt_tokens_details", .object([("cached_tokens", .int(u.cachedInputTokens))]))) }
        return .object(fields)
    }
}
