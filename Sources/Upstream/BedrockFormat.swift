import FinOpsCore

/// Translation between OpenAI chat format and Bedrock's Converse API (messages with content
/// blocks, `system`, `inferenceConfig`, `toolConfig`; `output.message`, `stopReason`, `usage`).
public enum BedrockFormat {
    public static func converseRequest(fromChat chat: JSONValue) -> JSONValue {
        var system: [JSONValue] = []
        var messages: [JSONValue] = []
        func append(_ blocks: [JSONValue], role: String) {
            guard !blocks.isEmpty else { return }
            if let last = messages.last, last["role"]?.stringValue == role, let existing = last["content"]?.arrayValue {
                messages[messages.count - 1] = .object([("role", .string(role)), ("content", .array(existing + blocks))])
            } else {
                messages.append(.object([("role", .string(role)), ("content", .array(blocks))]))
            }
        }
        for message in chat["messages"]?.arrayValue ?? [] {
            switch message["role"]?.stringValue ?? "user" {
            case "system", "developer":
                system.append(.object([("text", .string(AnthropicFormat.plainText(message["content"])))]))
            case "tool":
                append([.object([("toolResult", .object([
                    ("toolUseId", message["tool_call_id"] ?? .string("")),
                    ("content", .array([.object([("text", .string(AnthropicFormat.plainText(message["content"])))])])),
                ]))])], role: "user")
            case "assistant":
                var blocks = textBlocks(message["content"])
                for call in message["tool_calls"]?.arrayValue ?? [] {
                    let args = call["function"]?["arguments"]?.stringValue ?? "{}"
                    blocks.append(.object([("toolUse", .object([
                        ("toolUseId", call["id"] ?? .string("")), ("name", call["function"]?["name"] ?? .string("")),
                        ("input", (try? JSONParser.parse(args)) ?? .object([])),
                    ]))]))
                }
                append(blocks, role: "assistant")
            default:
                append(textBlocks(message["content"]), role: "user")
            }
        }
        var out: [(String, JSONValue)] = [("messages", .array(messages))]
        if !system.isEmpty { out.append(("system", .array(system))) }
        var inference: [(String, JSONValue)] = []
        if let max = chat["max_completion_tokens"] ?? chat["max_tokens"], !max.isNull { inference.append(("maxTokens", max)) }
        if let t = chat["temperature"], !t.isNull { inference.append(("temperature", t)) }
        if let p = chat["top_p"], !p.isNull { inference.append(("topP", p)) }
        if let stop = chat["stop"] {
            if let s = stop.stringValue { inference.append(("stopSequences", .array([.string(s)]))) }
            else if let list = stop.arrayValue { inference.append(("stopSequences", .array(list))) }
        }
        if !inference.isEmpty { out.append(("inferenceConfig", .object(inference))) }
        if let tools = chat["tools"]?.arrayValue, !tools.isEmpty {
            var config: [(String, JSONValue)] = [("tools", .array(tools.compactMap { tool in
                tool["function"].map { fn in .object([("toolSpec", .object([
                    ("name", fn["name"] ?? .string("")), ("description", fn["description"] ?? .string("")),
                    ("inputSchema", .object([("json", fn["parameters"] ?? .object([("type", .string("object"))]))])),
                ]))]) }
            }))]
            switch chat["tool_choice"] {
            case .some(.string("required")): config.append(("toolChoice", .object([("any", .object([]))])))
            case .some(let c) where c["function"]?["name"] != nil:
                config.append(("toolChoice", .object([("tool", .object([("name", c["function"]!["name"]!)]))])))
            default: break
            }
            out.append(("toolConfig", .object(config)))
        }
        return .object(out)
    }

    private static func textBlocks(_ content: JSONValue?) -> [JSONValue] {
        AnthropicFormat.contentBlocks(content).compactMap { block in
            block["type"]?.stringValue == "text" ? .object([("text", block["text"] ?? .string(""))]) : nil
        }
    }

    /// Bedrock reports cache reads and writes beside `inputTokens`; OpenAI's prompt total adds them.
    public static func usage(_ u: JSONValue?) -> TokenUsage? {
        guard let u, let input = u["inputTokens"]?.intValue else { return nil }
        let read = u["cacheReadInputTokens"]?.intValue ?? 0
        let write = u["cacheWriteInputTokens"]?.intValue ?? 0
        return TokenUsage(inputTokens: input + read + write, cachedInputTokens: read, cacheWriteTokens: write,
                          outputTokens: u["outputTokens"]?.intValue ?? 0)
    }

    public static func finishReason(_ stop: String?) -> String? {
        switch stop {
        case nil: return nil
        case "max_tokens": return "length"
        case "tool_use": return "tool_calls"
        case "content_filtered", "guardrail_intervened": return "content_filter"
        default: return "stop"
        }
    }

    public static func chatCompletion(fromConverse r: JSONValue, model: String, id: String, created: Int) -> JSONValue {
        var text = ""
        var calls: [JSONValue] = []
        for block in r["output"]?["message"]?["content"]?.arrayValue ?? [] {
            if let t = block["text"]?.stringValue { text += t }
            if let use = block["toolUse"] {
                calls.append(.object([("id", use["toolUseId"] ?? .string("")), ("type", .string("function")),
                                      ("function", .object([("name", use["name"] ?? .string("")),
                                                            ("arguments", .string((use["input"] ?? .object([])).serializedString))]))]))
            }
        }
        var message: [(String, JSONValue)] = [("role", .string("assistant")), ("content", text.isEmpty && !calls.isEmpty ? .null : .string(text))]
        if !calls.isEmpty { message.append(("tool_calls", .array(calls))) }
        var out: [(String, JSONValue)] = [
            ("id", .string(id)), ("object", .string("chat.completion")), ("created", .int(created)), ("model", .string(model)),
            ("choices", .array([.object([("index", .int(0)), ("message", .object(message)),
                                         ("finish_reason", finishReason(r["stopReason"]?.stringValue).map { .string($0) } ?? .null)])])),
        ]
        if let u = usage(r["usage"]) { out.append(("usage", AnthropicFormat.openAIUsage(u))) }
        return .object(out)
    }
}
