/// What the complexity classifier looks at in one request: the prompt text and the few request
/// fields that signal difficulty. Built from an OpenAI-style chat body, a plain prompt, or by hand.
public struct ClassifierInput: Sendable, Equatable {
    /// Message texts in order (system, user and assistant turns); scored as if joined by "\n",
    /// which is how the training script joined multi-turn prompts.
    public var texts: [String]
    /// User messages in the conversation (at least 1): later turns lean on earlier answers.
    public var userTurns: Int
    public var hasSystemPrompt: Bool
    /// `max_tokens` / `max_completion_tokens`, when the client set one.
    public var maxTokens: Int?
    /// The request offers tools or functions to call.
    public var hasTools: Bool

    public init(texts: [String], userTurns: Int = 1, hasSystemPrompt: Bool = false,
                maxTokens: Int? = nil, hasTools: Bool = false) {
        self.texts = texts
        self.userTurns = max(1, userTurns)
        self.hasSystemPrompt = hasSystemPrompt
        self.maxTokens = maxTokens
        self.hasTools = hasTools
    }

    /// A single user prompt with no other request fields.
    public init(prompt: String) { self.init(texts: [prompt]) }

    /// Reads an OpenAI chat-completions body (or a `{"messages": [...]}` / `{"prompt": "..."}`
    /// line of `finops-router classify`). Content may be a string or an array of parts; only
    /// text parts count. Anything malformed simply contributes nothing: the classifier never
    /// rejects a request, validation happens elsewhere.
    public init(body: JSONValue) {
        var texts: [String] = []
        var userTurns = 0
        var hasSystem = false
        if let prompt = body["prompt"]?.stringValue {
            texts.append(prompt)
            userTurns = 1
        }
        for message in body["messages"]?.arrayValue ?? [] {
            let role = message["role"]?.stringValue ?? ""
            if role == "user" { userTurns += 1 }
            if role == "system" || role == "developer" { hasSystem = true }
            if let text = message["content"]?.stringValue {
                texts.append(text)
            } else {
                for part in message["content"]?.arrayValue ?? [] {
                    if let text = part["text"]?.stringValue { texts.append(text) }
                }
            }
        }
        // Anthropic-style top-level system prompt.
        if let system = body["system"]?.stringValue {
            texts.insert(system, at: 0)
            hasSystem = true
        }
        let maxTokens = (body["max_completion_tokens"] ?? body["max_tokens"])?.intValue
        let tools = !(body["tools"]?.arrayValue?.isEmpty ?? true) || !(body["functions"]?.arrayValue?.isEmpty ?? true)
        self.init(texts: texts, userTurns: userTurns, hasSystemPrompt: hasSystem,
                  maxTokens: maxTokens.flatMap { $0 > 0 ? $0 : nil }, hasTools: tools)
    }
}
