import FinOpsCore
import Foundation

/// Anthropic SSE events → OpenAI `chat.completion.chunk` events. Usage comes in two parts:
/// input (and cache) tokens in `message_start`, output tokens in `message_delta`.
final class AnthropicStreamDecoder: ProviderEventStream, @unchecked Sendable {
    private let model: String
    private let id: String
    private let created = Int(Date().timeIntervalSince1970)
    private var parser = SSEParser()
    private var usage = TokenUsage()
    /// Anthropic content block index → OpenAI tool call index.
    private var toolIndex: [Int: Int] = [:]

    init(provider: String, model: String, id: String, upstream: AsyncThrowingStream<[UInt8], any Error>) {
        self.model = model
        self.id = id
        super.init(provider: provider, terminator: "message_stop", upstream: upstream)
    }

    override func consume(_ bytes: [UInt8]) throws {
        for event in parser.feed(bytes) where !complete { try handle(event) }
    }

    private func chunk(_ delta: JSONValue, finish: String? = nil) -> ChatStreamEvent {
        .chunk(.object([
            ("id", .string(id)), ("object", .string("chat.completion.chunk")), ("created", .int(created)),
            ("model", .string(model)),
            ("choices", .array([.object([("index", .int(0)), ("delta", delta),
                                         ("finish_reason", finish.map { .string($0) } ?? .null)])])),
        ]))
    }

    private func handle(_ event: SSEParser.Event) throws {
        guard let data = try? JSONParser.parse(event.data) else { throw interrupted("sent an event that is not JSON") }
        switch data["type"]?.stringValue ?? event.event {
        case "message_start":
            if let u = AnthropicFormat.usage(data["message"]?["usage"]) { usage = u }
            ready.append(chunk(.object([("role", .string("assistant")), ("content", .string(""))])))
        case "content_block_start":
            let block = data["content_block"]
            if block?["type"]?.stringValue == "tool_use", let index = data["index"]?.intValue {
                let toolNumber = toolIndex.count
                toolIndex[index] = toolNumber
                ready.append(chunk(.object([("tool_calls", .array([.object([
                    ("index", .int(toolNumber)), ("id", block?["id"] ?? .string("")), ("type", .string("function")),
                    ("function", .object([("name", block?["name"] ?? .string("")), ("arguments", .string(""))])),
                ])]))])))
            }
        case "content_block_delta":
            let delta = data["delta"]
            switch delta?["type"]?.stringValue {
            case "text_delta":
                ready.append(chunk(.object([("content", delta?["text"] ?? .string(""))])))
            case "input_json_delta":
                let index = data["index"]?.intValue.flatMap { toolIndex[$0] } ?? 0
                ready.append(chunk(.object([("tool_calls", .array([.object([
                    ("index", .int(index)), ("function", .object([("arguments", delta?["partial_json"] ?? .string(""))])),
                ])]))])))
            default:
                break  // thinking and signature deltas have no OpenAI equivalent
            }
        case "message_delta":
            if let out = data["usage"]?["output_tokens"]?.intValue { usage.outputTokens = out }
            if let finish = AnthropicFormat.finishReason(data["delta"]?["stop_reason"]?.stringValue) {
                ready.append(chunk(.object([]), finish: finish))
            }
        case "message_stop":
            complete = true
            ready.append(.usage(usage))
        case "error":
            throw interrupted("failed mid-way: \((data["error"]?["message"]?.stringValue ?? "unknown error").prefix(300))")
        default:
            break  // ping, content_block_stop
        }
    }
}
