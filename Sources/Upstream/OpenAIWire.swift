import FinOpsCore

/// Reading OpenAI's wire format: usage blocks, error bodies, choice text.
enum OpenAIWire {
    /// `usage: {prompt_tokens, completion_tokens, prompt_tokens_details: {cached_tokens}}`.
    static func usage(_ value: JSONValue?) -> TokenUsage? {
        guard let value, case .object = value,
              let prompt = value["prompt_tokens"]?.intValue,
              let completion = value["completion_tokens"]?.intValue else { return nil }
        let cached = value["prompt_tokens_details"]?["cached_tokens"]?.intValue ?? 0
        return TokenUsage(inputTokens: prompt, cachedInputTokens: cached, outputTokens: completion)
    }

    /// `{"error":{"message":...}}` → the message, cut to 300 characters.
    static func errorMessage(in body: [UInt8]) -> String? {
        guard let json = try? JSONParser.parse(body), let message = json["error"]?["message"]?.stringValue
                ?? json["error"]?.stringValue ?? json["message"]?.stringValue else { return nil }
        return message.count > 300 ? String(message.prefix(300)) + "…" : message
    }

    static func firstChoiceText(_ response: JSONValue) -> String {
        response["choices"]?.arrayValue?.first?["message"]?["content"]?.stringValue ?? ""
    }

    static func deltaText(_ chunk: JSONValue) -> String {
        chunk["choices"]?.arrayValue?.first?["delta"]?["content"]?.stringValue ?? ""
    }
}
