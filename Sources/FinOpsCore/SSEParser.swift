/// Incremental server-sent-events parser: feed raw bytes as they arrive, get each event's
/// `data` payload (multi-line data joined with "\n"). Handles \n and \r\n line endings and
/// events split across chunks.
public struct SSEParser: Sendable {
    public struct Event: Sendable, Equatable {
        public var event: String?
        public var data: String
        public init(event: String?, data: String) {
            self.event = event
            self.data = data
        }
    }

    private var pending: [UInt8] = []
    private var dataLines: [String] = []
    private var eventName: String?

    public init() {}

    public mutating func feed(_ bytes: [UInt8]) -> [Event] {
        pending.append(contentsOf: bytes)
        var events: [Event] = []
        var lineStart = 0
        var i = 0
        while i < pending.count {
            if pending[i] == 0x0A {
                var end = i
                if end > lineStart, pending[end - 1] == 0x0D { end -= 1 }
                handleLine(pending[lineStart..<end], into: &events)
                lineStart = i + 1
            }
            i += 1
        }
        pending.removeFirst(lineStart)
        return events
    }

    /// Bytes received after the last complete line (non-empty means the stream was cut mid-event).
    public var hasPartialEvent: Bool { !pending.isEmpty || !dataLines.isEmpty }

    private mutating func handleLine(_ line: ArraySlice<UInt8>, into events: inout [Event]) {
        if line.isEmpty {
            if !dataLines.isEmpty || eventName != nil {
                events.append(Event(event: eventName, data: dataLines.joined(separator: "\n")))
            }
            dataLines.removeAll()
            eventName = nil
            return
        }
        if line.first == UInt8(ascii: ":") { return }  // comment / keep-alive
        let colon = line.firstIndex(of: UInt8(ascii: ":")) ?? line.endIndex
        let field = String(decoding: line[line.startIndex..<colon], as: UTF8.self)
        var valueStart = colon < line.endIndex ? line.index(after: colon) : colon
        if valueStart < line.endIndex, line[valueStart] == 0x20 { valueStart = line.index(after: valueStart) }
        let value = String(decoding: line[valueStart..<line.endIndex], as: UTF8.self)
        switch field {
        case "data": dataLines.append(value)
        case "event": eventName = value
        default: break
        }
    }
}
