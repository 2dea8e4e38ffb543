import FinOpsCore

/// One chat call as a provider sees it: an OpenAI-format request whose `model` is already the
/// provider's model name.
public struct ChatCall: Sendable {
    public var requestID: String
    public var model: String
    public var request: JSONValue
    public var stream: Bool
    /// The client's bytes, forwarded as-is when the provider needs no change to them
    /// (saves re-serialising every request).
    public var originalBody: [UInt8]?

    public init(requestID: String, model: String, request: JSONValue, stream: Bool, originalBody: [UInt8]? = nil) {
        self.requestID = requestID
        self.model = model
        self.request = request
        self.stream = stream
        self.originalBody = originalBody
    }
}

/// A complete (non-streamed) answer in OpenAI `chat.completion` format.
public struct ChatResult: Sendable {
    public var body: [UInt8]
    /// nil when the provider returned none (the gateway then estimates and flags the row).
    public var usage: TokenUsage?
    /// Text of the first choice, for estimates and the cascade's checks.
    public var text: String
    /// OpenAI `finish_reason` of the first choice, and whether it called tools (for the cascade).
    public var finishReason: String?
    public var hasToolCalls: Bool

    public init(body: [UInt8], usage: TokenUsage?, text: String, finishReason: String? = nil, hasToolCalls: Bool = false) {
        self.body = body
        self.usage = usage
        self.text = text
        self.finishReason = finishReason
        self.hasToolCalls = hasToolCalls
    }

    /// Reads text, finish reason and tool calls from an OpenAI `chat.completion` object.
    public init(body: [UInt8], usage: TokenUsage?, completion json: JSONValue) {
        let choice = json["choices"]?.arrayValue?.first
        self.init(body: body, usage: usage, text: choice?["message"]?["content"]?.stringValue ?? "",
                  finishReason: choice?["finish_reason"]?.stringValue,
                  hasToolCalls: !(choice?["message"]?["tool_calls"]?.arrayValue?.isEmpty ?? true))
    }
}

/// What a streamed answer yields: OpenAI `chat.completion.chunk` objects, and the usage once
/// the provider reports it (the usage-only chunk is not passed on as a chunk).
public enum ChatStreamEvent: Sendable {
    /// A chunk, with the provider's own bytes when they are already OpenAI format and can be
    /// forwarded without re-serialising.
    case chunk(JSONValue, raw: [UInt8]? = nil)
    case usage(TokenUsage)
}

/// A provider adapter: translates a chat call to its wire format and back.
public protocol ChatProvider: Sendable {
    var name: String { get }
    func complete(_ call: ChatCall) async throws(ProviderError) -> ChatResult
    /// Returns once the provider accepted the call (2xx head); errors before the first byte throw here,
    /// later ones are thrown by the sequence.
    func stream(_ call: ChatCall) async throws(ProviderError) -> ChatEventStream
}

public typealias ChatEventStream = AsyncThrowingStream<ChatStreamEvent, any Error>
