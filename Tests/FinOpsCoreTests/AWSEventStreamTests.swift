import FinOpsCore
import XCTest

final class AWSEventStreamTests: XCTestCase {
    func testCRC32KnownVector() {
        XCTAssertEqual(CRC32.checksum(Array("123456789".utf8)[...]), 0xCBF4_3926)
    }

    func testRoundTripSplitAnywhere() throws {
        let a = AWSEventStreamDecoder.encode(headers: [(":event-type", "messageStart"), (":message-type", "event")],
                                             payload: Array(#"{"role":"assistant"}"#.utf8))
        let b = AWSEventStreamDecoder.encode(headers: [(":event-type", "metadata")], payload: Array(#"{"usage":{}}"#.utf8))
        var decoder = AWSEventStreamDecoder()
        var messages: [AWSEventStreamDecoder.Message] = []
        for byte in a + b { messages += try decoder.feed([byte]) }
        XCTAssertEqual(messages.map { $0.headers[":event-type"] }, ["messageStart", "metadata"])
        XCTAssertEqual(String(decoding: messages[0].payload, as: UTF8.self), #"{"role":"assistant"}"#)
        XCTAssertFalse(decoder.hasPartialMessage)
    }

    func testCorruptionIsDetected() {
        var frame = AWSEventStreamDecoder.encode(headers: [(":event-type", "x")], payload: Array("hello".utf8))
        frame[frame.count - 6] ^= 0x01
        var decoder = AWSEventStreamDecoder()
        XCTAssertThrowsError(try decoder.feed(frame)) { error in
            XCTAssertEqual((error as? AWSEventStreamDecoder.FrameError)?.reason, "message checksum mismatch")
        }
        var prelude = AWSEventStreamDecoder.encode(headers: [], payload: [1])
        prelude[2] ^= 0x40
        var d2 = AWSEventStreamDecoder()
        XCTAssertThrowsError(try d2.feed(prelude))
    }
}
