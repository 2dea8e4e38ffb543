import FinOpsCore
import XCTest

final class SSEParserTests: XCTestCase {
    func testEventsSplitAcrossChunksAndLineEndings() {
        var parser = SSEParser()
        var events: [SSEParser.Event] = []
        let stream = "data: {\"a\":1}\r\n\r\nevent: message_start\ndata: {\"b\":\ndata: 2}\n\n: keep-alive\n\ndata: [DONE]\n\n"
        // Feed one byte at a time: the worst split possible.
        for byte in Array(stream.utf8) { events += parser.feed([byte]) }
        XCTAssertEqual(events, [
            .init(event: nil, data: #"{"a":1}"#),
            .init(event: "message_start", data: "{\"b\":\n2}"),
            .init(event: nil, data: "[DONE]"),
        ])
        XCTAssertFalse(parser.hasPartialEvent)
    }

    func testPartialEventIsReported() {
        var parser = SSEParser()
        XCTAssertEqual(parser.feed(Array("data: {\"a\":".utf8)), [])
        XCTAssertTrue(parser.hasPartialEvent)
    }

    func testDataWithoutSpaceAndEmptyData() {
        var parser = SSEParser()
        XCTAssertEqual(parser.feed(Array("data:x\n\ndata:\n\n".utf8)), [.init(event: nil, data: "x"), .init(event: nil, data: "")])
    }
}
