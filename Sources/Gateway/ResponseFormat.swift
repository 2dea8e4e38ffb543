import FinOpsCore
import HTTPServer
import Upstream

/// One client-facing wire format (OpenAI chat completions, Anthropic messages): how its
/// requests are read into the router's internal (OpenAI) form and how answers, streams and
/// errors are written back.
protocol ResponseFormat: Sendable {
    /// Metrics label of the endpoint.
    var endpoint: String { get }
    func parse(_ body: [UInt8]) -> Result<ParsedChatRequest, RequestProblem>
    func error(_ status: Int, type: String, code: String, message: String, headers: [(name: String, value: String)]) -> HTTPResponse
    /// A complete answer, from the provider's OpenAI-format result.
    func completion(_ result: ChatResult, requestID: String, model: String) -> [UInt8]
    func streamEncoder(requestID: String, model: String, clientWantsUsage: Bool) -> any StreamEncoder
}

/// Turns stream events into SSE bytes for one response; used by a single producer task.
protocol StreamEncoder: AnyObject, Sendable {
    func encode(_ event: ChatStreamEvent) -> [UInt8]
    /// The closing bytes of a complete stream.
    func finish(usage: TokenUsage) -> [UInt8]
    /// The closing bytes of a stream that broke: an error event, never a normal end.
    func fail(_ error: ProviderError) -> [UInt8]
}

/// OpenAI's format: bodies pass through untouched; streams are re-framed chunk by chunk.
struct OpenAIChatFormat: ResponseFormat {
    var endpoint: String { "chat_completions" }

    func parse(_ body: [UInt8]) -> Result<ParsedChatRequest, RequestProblem> { ParsedChatRequest.parse(body) }

    func error(_ status: Int, type: String, code: String, message: String, headers: [(name: String, value: String)]) -> HTTPResponse {
        .error(status, type: type, code: code, message: message, headers: headers)
    }

    func completion(_ result: ChatResult, requestID: String, model: String) -> [UInt8] { result.body }

    func streamEncoder(requestID: String, model: String, clientWantsUsage: Bool) -> any StreamEncoder {
        OpenAIStreamEncoder(id: "chatcmpl-\(requestID)", model: model, clientWantsUsage: clientWantsUsage)
    }
}

final class OpenAIStreamEncoder: StreamEncoder, @unchecked Sendable {
    private var id: String
    private let model: String
    private let clientWantsUsage: Bool

    init(id: String, model: String, clientWantsUsage: Bool) {
        self.id = id
        self.model = model
        self.clientWantsUsage = clientWantsUsage
    }

    func encode(_ event: ChatStreamEvent) -> [UInt8] {
        switch event {
        case .chunk(let chunk, let raw):
            if let chunkID = chunk["id"]?.stringValue { id = chunkID }
            if let raw { return Array("data: ".utf8) + raw + [10, 10] }
            return Self.data(chunk)
        case .usage(let usage):
            // The usage-only chunk goes out only to clients that asked for it (some SDKs choke on empty choices).
            guard clientWantsUsage else { return [] }
            return Self.data(.object([
                ("id", .string(id)), ("object", .string("chat.completion.chunk")), ("created", .int(Int(Date().timeIntervalSince1970))),
                ("model", .string(model)), ("choices", .array([])), ("usage", AnthropicFormat.openAIUsage(usage)),
            ]))
        }
    }

    func finish(usage: TokenUsage) -> [UInt8] { Array("data: [DONE]\n\n".utf8) }

    func fail(_ error: ProviderError) -> [UInt8] {
        Array("data: \(HTTPResponse.errorJSON(type: "upstream_error", code: error.kind.rawValue, message: error.message))\n\n".utf8)
    }

    static func data(_ json: JSONValue) -> [UInt8] {
        var out = Array("data: ".utf8)
        json.write(into: &out)
        out.append(contentsOf: [10, 10])
        return out
    }
}

import Foundation
