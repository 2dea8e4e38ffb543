import FinOpsCore
import Foundation
import HTTPServer
import Upstream

/// `POST /v1/messages`: Anthropic-SDK apps talk to the router in Anthropic's format; inside,
/// the request runs the same pipeline (any provider can serve it) and the answer is translated back.
struct AnthropicMessagesFormat: ResponseFormat {
    var endpoint: String { "messages" }

    func parse(_ body: [UInt8]) -> Result<ParsedChatRequest, RequestProblem> {
        let json: JSONValue
        do { json = try JSONParser.parse(body) } catch {
            return .failure(.init(status: 400, code: "invalid_json", message: "The request body is not valid JSON (\(error))."))
        }
        switch AnthropicInbound.chatRequest(fromMessages: json) {
        case .failure(let problem): return .failure(problem)
        case .success(let chat):
            // Re-validated as a chat request so both endpoints enforce the same rules.
            return ParsedChatRequest.parse(chat.serialized()).map { parsed in
                var p = parsed
                p.clientWantsUsage = true
                p.original = nil
                return p
            }
        }
    }

    func error(_ status: Int, type: String, code: String, message: String, headers: [(name: String, value: String)]) -> HTTPResponse {
        .json(status, AnthropicInbound.errorBody(status: status, message: message).serialized(), headers: headers)
    }

    func completion(_ result: ChatResult, requestID: String, model: String) -> [UInt8] {
        let chat = (try? JSONParser.parse(result.body)) ?? .object([])
        return AnthropicInbound.message(fromChat: chat, id: "msg_\(requestID)", model: model, usage: result.usage).serialized()
    }

    func streamEncoder(requestID: String, model: String, clientWantsUsage: Bool) -> any StreamEncoder {
        AnthropicStreamEncoder(id: "msg_\(requestID)", model: model)
    }
}

/// OpenAI chunks → Anthropic events: message_start, one content block per text run or tool
/// call (start, deltas, stop), message_delta with stop reason and usage, message_stop.
final class AnthropicStreamEncoder: StreamEncoder, @unchecked Sendable {
    private let id: String
    private let model: String
    private var started = false
    private var blockIndex = -1
    private var openBlock: String?   // "text" or "tool:<openai index>"
    private var stopReason = "end_turn"

    init(id: String, model: String) {
        self.id = id
        self.model = model
    }

    private func event(_ name: String, _ data: JSONValue) -> [UInt8] {
        var out = Array("event: \(name)\ndata: ".utf8)
        data.write(into: &out)
        out.append(contentsOf: [10, 10])
        return out
    }

    private func start() -> [UInt8] {
        guard !started else { return [] }
        started = true
        return event("message_start", .object([("type", .string("message_start")), ("message", .object([
            ("id", .string(id)), ("type", .string("message")), ("role", .string("assistant")), ("model", .string(model)),
            ("content", .array([])), ("stop_reason", .null), ("stop_sequence", .null),
            ("usage", .object([("input_tokens", .int(0)), ("output_tokens", .int(0))])),
        ]))]))
    }

    private func closeBlock() -> [UInt8] {
        guard openBlock != nil else { return [] }
        openBlock = nil
        return event("content_block_stop", .object([("type", .string("content_block_stop")), ("index", .int(blockIndex))]))
    }

    private func openBlock(_ kind: String, _ block: JSONValue) -> [UInt8] {
        var out = closeBlock()
        blockIndex += 1
        openBlock = kind
        out += event("content_block_start", .object([("type", .string("content_block_start")), ("index", .int(blockIndex)),
                                                     ("content_block", block)]))
        return out
    }

    func encode(_ e: ChatStreamEvent) -> [UInt8] {
        var out = start()
        guard case .chunk(let chunk, _) = e, let choice = chunk["choices"]?.arrayValue?.first else { return out }
        let delta = choice["delta"]
        if let text = delta?["content"]?.stringValue, !text.isEmpty {
            if openBlock != "text" { out += openBlock("text", .object([("type", .string("text")), ("text", .string(""))])) }
            out += event("content_block_delta", .object([("type", .string("content_block_delta")), ("index", .int(blockIndex)),
                                                         ("delta", .object([("type", .string("text_delta")), ("text", .string(text))]))]))
        }
        for call in delta?["tool_calls"]?.arrayValue ?? [] {
            let key = "tool:\(call["index"]?.intValue ?? 0)"
            if openBlock != key {
                out += openBlock(key, .object([("type", .string("tool_use")), ("id", call["id"] ?? .string("")),
                                               ("name", call["function"]?["name"] ?? .string("")), ("input", .object([]))]))
            }
            if let args = call["function"]?["arguments"]?.stringValue, !args.isEmpty {
                out += event("content_block_delta", .object([("type", .string("content_block_delta")), ("index", .int(blockIndex)),
                                                             ("delta", .object([("type", .string("input_json_delta")), ("partial_json", .string(args))]))]))
            }
        }
        if let finish = choice["finish_reason"]?.stringValue { stopReason = AnthropicInbound.stopReason(finish) }
        return out
    }

    func finish(usage: TokenUsage) -> [UInt8] {
        var out = start() + closeBlock()
        out += event("message_delta", .object([
            ("type", .string("message_delta")),
            ("delta", .object([("stop_reason", .string(stopReason)), ("stop_sequence", .null)])),
            ("usage", AnthropicInbound.usageJSON(usage)),
        ]))
        out += event("message_stop", .object([("type", .string("message_stop"))]))
        return out
    }

    func fail(_ error: ProviderError) -> [UInt8] {
        event("error", .object([("type", .string("error")), ("error", .object([
            ("type", .string(error.clientStatus == 429 ? "rate_limit_error" : "api_error")), ("message", .string(error.message)),
        ]))]))
    }
}
