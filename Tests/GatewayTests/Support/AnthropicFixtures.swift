/// Anthropic Messages API fixtures, modelled on recorded SDK traffic (usage with cache reads and
/// writes, tool use, SSE event sequences).
enum AnthropicFixtures {
    static let message = """
    {"model":"claude-sonnet-4-20250514","id":"msg_01T4jd6NyD9xGGtTPDC4ogy5","type":"message","role":"assistant","content":[{"type":"text","text":"Paris is sunny today."}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":406,"cache_creation_input_tokens":100,"cache_read_input_tokens":200,"output_tokens":50,"service_tier":"standard"}}
    """

    static let toolUse = """
    {"model":"claude-sonnet-4-20250514","id":"msg_tool","type":"message","role":"assistant","content":[{"type":"text","text":"I'll check the weather."},{"type":"tool_use","id":"toolu_01NRLabsLyVHZPKxbKvkfSMn","name":"get_weather","input":{"location":"Paris"}}],"stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":377,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":60}}
    """

    static let streamToolUse = """
    event: message_start
    data: {"type":"message_start","message":{"id":"msg_019Q1hrJbZG26Fb9BQhrkHEr","type":"message","role":"assistant","model":"claude-sonnet-4-20250514","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":377,"cache_creation_input_tokens":0,"cache_read_input_tokens":1000,"output_tokens":1,"service_tier":"standard"}}}

    event: content_block_start
    data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

    event: ping
    data: {"type": "ping"}

    event: content_block_delta
    data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"I'll check"}}

    event: content_block_delta
    data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" the weather."}}

    event: content_block_stop
    data: {"type":"content_block_stop","index":0}

    event: content_block_start
    data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01NRLabsLyVHZPKxbKvkfSMn","name":"get_weather","input":{}}}

    event: content_block_delta
    data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"locati"}}

    event: content_block_delta
    data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"on\\": \\"Paris\\"}"}}

    event: content_block_stop
    data: {"type":"content_block_stop","index":1}

    event: message_delta
    data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":64}}

    event: message_stop
    data: {"type":"message_stop"}


    """

    static let overloaded = #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#
}
