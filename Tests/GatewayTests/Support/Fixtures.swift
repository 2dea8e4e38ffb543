/// OpenAI wire-format fixtures, modelled on recorded SDK traffic (chat.completion bodies and
/// chat.completion.chunk streams that end with a usage chunk and `[DONE]`).
enum Fixtures {
    static let chatCompletion = """
    {"id":"chatcmpl-ABfvaueLEMLNYbT8YzpJxsmiQ6HSY","object":"chat.completion","created":1727346142,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant","content":"I'm unable to provide real-time weather updates. Check a reliable weather website.","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":14,"completion_tokens":37,"total_tokens":51,"completion_tokens_details":{"reasoning_tokens":0}},"system_fingerprint":"fp_b40fb1c6fb"}
    """

    /// Same shape with 1,024 of the 2,048 prompt tokens served from OpenAI's prompt cache.
    static let chatCompletionCached = """
    {"id":"chatcmpl-cached","object":"chat.completion","created":1727346142,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"Cached hello."},"finish_reason":"stop"}],"usage":{"prompt_tokens":2048,"completion_tokens":10,"total_tokens":2058,"prompt_tokens_details":{"cached_tokens":1024}}}
    """

    static let chatCompletionNoUsage = """
    {"id":"chatcmpl-nousage","object":"chat.completion","created":1727346142,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"An answer of some forty characters here."},"finish_reason":"stop"}]}
    """

    static let streamChunks: [String] = [
        #"{"id":"chatcmpl-ABfw4IfQfCCrcuybFm41wJyxjbkz7","object":"chat.completion.chunk","created":1727346172,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_5050236cbd","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}"#,
        #"{"id":"chatcmpl-ABfw4IfQfCCrcuybFm41wJyxjbkz7","object":"chat.completion.chunk","created":1727346172,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_5050236cbd","choices":[{"index":0,"delta":{"content":"The weather"},"logprobs":null,"finish_reason":null}]}"#,
        #"{"id":"chatcmpl-ABfw4IfQfCCrcuybFm41wJyxjbkz7","object":"chat.completion.chunk","created":1727346172,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_5050236cbd","choices":[{"index":0,"delta":{"content":" is sunny."},"logprobs":null,"finish_reason":null}]}"#,
        #"{"id":"chatcmpl-ABfw4IfQfCCrcuybFm41wJyxjbkz7","object":"chat.completion.chunk","created":1727346172,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_5050236cbd","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}"#,
    ]

    static let streamUsageChunk = #"{"id":"chatcmpl-ABfw4IfQfCCrcuybFm41wJyxjbkz7","object":"chat.completion.chunk","created":1727346172,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_5050236cbd","choices":[],"usage":{"prompt_tokens":79,"completion_tokens":11,"total_tokens":90,"completion_tokens_details":{"reasoning_tokens":0}}}"#

    static let rateLimited = #"{"error":{"message":"Rate limit reached for gpt-4o-mini in organization org-test on tokens per min (TPM): Limit 30000, Used 28039, Requested 3906. Please try again in 3.89s.","type":"tokens","param":null,"code":"rate_limit_exceeded"}}"#

    static let invalidKey = #"{"error":{"message":"Incorrect API key provided: sk-test-********************SECRET. You can find your API key at https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}"#

    static let htmlError = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>cloudflare</center></body></html>"

    static func chatRequest(model: String = "gpt-4o-mini", stream: Bool = false, includeUsage: Bool = false,
                            content: String = "What is the weather in San Francisco?") -> String {
        var body = #"{"model":"\#(model)","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"\#(content)"}]"#
        if stream { body += #","stream":true"# }
        if includeUsage { body += #","stream_options":{"include_usage":true}"# }
        return body + "}"
    }
}
