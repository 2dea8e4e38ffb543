import FinOpsCore
import Foundation
import HTTPServer
import Upstream

/// Answers a request from a cached completion in the client's format: the stored body for
/// buffered calls; for streams, the same answer re-framed as SSE chunks (role, content in
/// pieces, finish reason, usage) through the endpoint's own stream encoder.
enum CacheReplay {
    /// Cached answers with tool calls are not replayed as streams (their deltas are not kept).
    static func canStream(_ hit: ResponseCache.Hit) -> Bool {
        guard let body = try? JSONParser.parse(hit.result.body),
              let message = body["choices"]?.arrayValue?.first?["message"] else { return false }
        return message["tool_calls"] == nil || message["tool_calls"]?.isNull == true
    }

    static func response(_ hit: ResponseCache.Hit, format: any ResponseFormat, parsed: ParsedChatRequest, requestID: String,
                         headers: [(name: String, value: String)]) -> HTTPResponse {
        guard parsed.stream else {
            return .json(200, format.completion(hit.result, requestID: requestID, model: hit.model), headers: headers)
        }
        let body = try? JSONParser.parse(hit.result.body)
        let finish = body?["choices"]?.arrayValue?.first?["finish_reason"]?.stringValue ?? "stop"
        let encoder = format.streamEncoder(requestID: requestID, model: hit.model, clientWantsUsage: parsed.clientWantsUsage)
        let id = "chatcmpl-\(requestID)", model = hit.model, text = hit.result.text
        let usage = hit.result.usage ?? .zero
        let created = Int(Date().timeIntervalSince1970)
        func chunk(_ delta: JSONValue, finish: String?) -> ChatStreamEvent {
            .chunk(.object([
                ("id", .string(id)), ("object", .string("chat.completion.chunk")), ("created", .int(created)), ("model", .string(model)),
                ("choices", .array([.object([("index", .int(0)), ("delta", delta), ("finish_reason", finish.map { .string($0) } ?? .null)])])),
            ]))
        }
        var events = [chunk(.object([("role", .string("assistant")), ("content", .string(""))]), finish: nil)]
        var rest = Substring(text)
        while !rest.isEmpty {
            let piece = rest.prefix(64)
            rest = rest.dropFirst(piece.count)
            events.append(chunk(.object([("content", .string(String(piece)))]), finish: nil))
        }
        events.append(chunk(.object([]), finish: finish))
        events.append(.usage(usage))
        let replay = events
        return HTTPResponse(status: 200, headers: [("Content-Type", "text/event-stream"), ("Cache-Control", "no-cache")] + headers,
                            body: .stream { writer in
            for event in replay {
                let bytes = encoder.encode(event)
                if !bytes.isEmpty, !writer.write(bytes) { return }
            }
            writer.write(": finops cache=\(hit.kind) cost_usd=0.000000\n\n")
            writer.write(encoder.finish(usage: usage))
        })
    }
}
