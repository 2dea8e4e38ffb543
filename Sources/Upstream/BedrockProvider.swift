import FinOpsCore
import Foundation

/// AWS Bedrock's Converse / ConverseStream API, signed with SigV4 by libcurl.
/// `modelIDs` maps the router's model names to Bedrock model ids
/// (e.g. `claude-sonnet-4-20250514` → `anthropic.claude-sonnet-4-20250514-v1:0`).
public struct BedrockProvider: ChatProvider {
    public let name: String
    let endpoint: String
    let signing: AWSSigning?
    let modelIDs: [String: String]
    let loop: CurlMultiLoop
    let timeouts: ProviderTimeouts

    public init(name: String, endpoint: String, signing: AWSSigning?, modelIDs: [String: String], loop: CurlMultiLoop,
                timeouts: ProviderTimeouts = .init()) {
        self.name = name
        self.endpoint = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
        self.signing = signing
        self.modelIDs = modelIDs
        self.loop = loop
        self.timeouts = timeouts
    }

    private func request(model: String, stream: Bool, body: JSONValue) -> UpstreamRequest {
        let id = modelIDs[model] ?? model
        let encoded = id.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? id
        var r = timeouts.request(url: "\(endpoint)/model/\(encoded)/\(stream ? "converse-stream" : "converse")",
                                 headers: [("Content-Type", "application/json"),
                                           ("Accept", stream ? "application/vnd.amazon.eventstream" : "application/json")],
                                 body: body.serialized())
        r.awsSigning = signing
        return r
    }

    public func complete(_ call: ChatCall) async throws(ProviderError) -> ChatResult {
        let response = try await ProviderHTTP.execute(loop, request(model: call.model, stream: false,
                                                                    body: BedrockFormat.converseRequest(fromChat: call.request)), provider: name)
        let json = try ProviderHTTP.jsonObject(response, provider: name)
        guard json["output"]?["message"] != nil else {
            throw ProviderError(provider: name, kind: .invalidResponse, upstreamStatus: response.status,
                                message: "provider \(name) returned JSON without output.message")
        }
        let chat = BedrockFormat.chatCompletion(fromConverse: json, model: call.model, id: "chatcmpl-\(call.requestID)",
                                                created: Int(Date().timeIntervalSince1970))
        return ChatResult(body: chat.serialized(), usage: BedrockFormat.usage(json["usage"]), completion: chat)
    }

    public func stream(_ call: ChatCall) async throws(ProviderError) -> ChatEventStream {
        let upstream = try await ProviderHTTP.stream(loop, request(model: call.model, stream: true,
                                                                   body: BedrockFormat.converseRequest(fromChat: call.request)), provider: name)
        let decoder = BedrockStreamDecoder(provider: name, model: call.model, id: "chatcmpl-\(call.requestID)", upstream: upstream.body)
        return AsyncThrowingStream(unfolding: { try await decoder.next() })
    }
}

/// ConverseStream event-stream frames → OpenAI chunks and usage.
final class BedrockStreamDecoder: ProviderEventStream, @unchecked Sendable {
    private let model: String
    private let id: String
    private let created = Int(Date().timeIntervalSince1970)
    private var frames = AWSEventStreamDecoder()
    private var toolIndex: [Int: Int] = [:]

    init(provider: String, model: String, id: String, upstream: AsyncThrowingStream<[UInt8], any Error>) {
        self.model = model
        self.id = id
        super.init(provider: provider, terminator: "its metadata event", upstream: upstream)
    }

    override func consume(_ bytes: [UInt8]) throws {
        let messages: [AWSEventStreamDecoder.Message]
        do { messages = try frames.feed(bytes) } catch { throw interrupted("is corrupt: \(error)") }
        for message in messages where !complete { try handle(message) }
    }

    private func chunk(_ delta: JSONValue, finish: String? = nil) -> ChatStreamEvent {
        .chunk(.object([
            ("id", .string(id)), ("object", .string("chat.completion.chunk")), ("created", .int(created)), ("model", .string(model)),
            ("choices", .array([.object([("index", .int(0)), ("delta", delta), ("finish_reason", finish.map { .string($0) } ?? .null)])])),
        ]))
    }

    private func handle(_ message: AWSEventStreamDecoder.Message) throws {
        let body = (try? JSONParser.parse(message.payload)) ?? .object([])
        if message.headers[":message-type"] == "exception" {
            let type = message.headers[":exception-type"] ?? "exception"
            throw interrupted("failed mid-way: \(type): \(body["message"]?.stringValue?.prefix(300) ?? "")")
        }
        switch message.headers[":event-type"] {
        case "messageStart":
            ready.append(chunk(.object([("role", .string("assistant")), ("content", .string(""))])))
        case "contentBlockStart":
            if let use = body["start"]?["toolUse"], let index = body["contentBlockIndex"]?.intValue {
                let n = toolIndex.count
                toolIndex[index] = n
                ready.append(chunk(.object([("tool_calls", .array([.object([
                    ("index", .int(n)), ("id", use["toolUseId"] ?? .string("")), ("type", .string("function")),
                    ("function", .object([("name", use["name"] ?? .string("")), ("arguments", .string(""))])),
                ])]))])))
            }
        case "contentBlockDelta":
            if let text = body["delta"]?["text"]?.stringValue {
                ready.append(chunk(.object([("content", .string(text))])))
            } else if let input = body["delta"]?["toolUse"]?["input"]?.stringValue {
                let n = body["contentBlockIndex"]?.intValue.flatMap { toolIndex[$0] } ?? 0
                ready.append(chunk(.object([("tool_calls", .array([.object([("index", .int(n)),
                                                                            ("function", .object([("arguments", .string(input))]))])]))])))
            }
        case "messageStop":
            ready.append(chunk(.object([]), finish: BedrockFormat.finishReason(body["stopReason"]?.stringValue) ?? "stop"))
        case "metadata":
            complete = true
            if let usage = BedrockFormat.usage(body["usage"]) { ready.append(.usage(usage)) }
        default:
            break
        }
    }
}
