/// Turns a chat request into the canonical text its cache key is hashed from, so requests that
/// differ only in ways that cannot change the answer (key order, whitespace in messages,
/// `stream`, `user`, client metadata) share one entry, and any request field that can change
/// the answer (model, sampling, tools, format, max tokens) is part of the key.
public enum CacheKeyNormalizer {
    /// Fields that do not affect the completion's content.
    static let ignored: Set<String> = ["stream", "stream_options", "user", "metadata", "store", "service_tier", "n_ignored"]

    /// Canonical JSON of the whole request with `model` set to the model actually served.
    public static func exactKeyText(_ body: JSONValue, model: String) -> String {
        var copy = body
        copy.set("model", .string(model))
        return canonical(copy, normalizeText: false, skip: ignored, top: true)
    }

    /// Canonical JSON of everything except the messages: a semantic match must agree on these.
    public static func shapeText(_ body: JSONValue, model: String) -> String {
        var copy = body
        copy.set("model", .string(model))
        copy.remove("messages")
        return canonical(copy, normalizeText: false, skip: ignored, top: true)
    }

    /// The conversation as plain text for embedding: `role: text` lines, whitespace collapsed.
    public static func semanticText(_ body: JSONValue) -> String {
        var lines: [String] = []
        for message in body["messages"]?.arrayValue ?? [] {
            let role = message["role"]?.stringValue ?? ""
            var text = message["content"]?.stringValue ?? ""
            for part in message["content"]?.arrayValue ?? [] {
                if let t = part["text"]?.stringValue { text += " " + t }
            }
            lines.append(role + ": " + collapseWhitespace(text))
        }
        return lines.joined(separator: "\n")
    }

    static func canonical(_ value: JSONValue, normalizeText: Bool, skip: Set<String>, top: Bool) -> String {
        switch value {
        case .object(let pairs):
            let kept = pairs.filter { !(top && skip.contains($0.0)) }.sorted { $0.0 < $1.0 }
            let inner = kept.map { key, v -> String in
                let isMessages = top && key == "messages"
                return quote(key) + ":" + canonical(v, normalizeText: normalizeText || isMessages, skip: skip, top: false)
            }
            return "{" + inner.joined(separator: ",") + "}"
        case .array(let items):
            return "[" + items.map { canonical($0, normalizeText: normalizeText, skip: skip, top: false) }.joined(separator: ",") + "]"
        case .string(let s):
            return quote(normalizeText ? collapseWhitespace(s) : s)
        case .number(let n):
            // 1, 1.0 and 1e0 are the same number to a provider.
            if let d = Double(n) { return d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d) }
            return n
        default:
            return value.serializedString
        }
    }

    static func collapseWhitespace(_ s: String) -> String {
        s.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    static func quote(_ s: String) -> String { JSONValue.string(s).serializedString }
}
