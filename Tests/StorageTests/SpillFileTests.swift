import FinOpsCore
import Foundation
@testable import Storage
import XCTest

final class SpillFileTests: XCTestCase {
    private func batches(_ counts: [Int], from start: Int = 0) -> [[TelemetryRecord]] {
        var next = start
        return counts.map { n in (0..<n).map { _ in defer { next += 1 }; return sampleRecord(next) } }
    }

    private func drain(_ spill: SpillFile) throws -> [[TelemetryRecord]] {
        var out: [[TelemetryRecord]] = []
        while let batch = try spill.next() {
            out.append(batch)
            try spill.removeNext()
        }
        return out
    }

    private func fileSize(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? -1
    }

    func testAppendReplayInOrderThenTruncate() throws {
        let dir = try temporaryDirectory(self).path
        let spill = try SpillFile(directory: dir)
        let written = batches([3, 1, 5])
        try spill.append(Array(written.prefix(2)))
        try spill.append([written[2]])
        XCTAssertEqual(spill.pendingRows, 9)
        XCTAssertEqual(spill.pendingRecords, 3)
        XCTAssertEqual(try spill.next(), written[0])
        XCTAssertEqual(try spill.next(), written[0], "next() repeats until removeNext()")
        XCTAssertEqual(try drain(spill), written)
        XCTAssertTrue(spill.isEmpty)
        XCTAssertEqual(try fileSize(spill.path), 0, "a fully replayed spill is truncated")
        XCTAssertEqual(spill.corruptRecords, 0)
    }

    func testSurvivesReopenLikeACrash() throws {
        let dir = try temporaryDirectory(self).path
        let written = batches([4, 4, 4])
        do {
            let spill = try SpillFile(directory: dir)
            try spill.append(written)
            _ = try spill.next()
            try spill.removeNext()  // replayed one, then "crashed" before the rest
            spill.close()
        }
        let reopened = try SpillFile(directory: dir)
        XCTAssertEqual(reopened.pendingRows, 12, "progress is not persisted: a replay may repeat, never lose")
        XCTAssertEqual(try drain(reopened), written)
    }

    func testTornTailIsCountedSkippedAndCutOff() throws {
        let dir = try temporaryDirectory(self).path
        let written = batches([2, 2, 2])
        let path: String
        do {
            let spill = try SpillFile(directory: dir)
            try spill.append(written)
            path = spill.path
            spill.close()
        }
        let validSize = try fileSize(path)
        // A crash in the middle of the next append: header and half the payload.
        let payload = Array(try JSONEncoder().encode(batches([3], from: 100)[0]))
        let torn = SpillRecordHeader(payload: payload, rows: 3).bytes + payload.prefix(payload.count / 2)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: torn)
        try handle.close()

        let reopened = try SpillFile(directory: dir)
        XCTAssertEqual(reopened.corruptRecords, 1)
        XCTAssertEqual(reopened.pendingRows, 6)
        XCTAssertEqual(try fileSize(path), validSize, "the torn tail is cut off")
        XCTAssertEqual(try fileSize(path + ".corrupt"), torn.count, "and kept for inspection")
        try reopened.append(batches([1], from: 200))
        reopened.close()
        let again = try SpillFile(directory: dir)
        XCTAssertEqual(again.corruptRecords, 0)
        XCTAssertEqual(try drain(again), written + batches([1], from: 200))
    }

    func testCorruptRecordInTheMiddleIsSkippedByChecksum() throws {
        let dir = try temporaryDirectory(self).path
        let written = batches([2, 3, 4])
        let spill = try SpillFile(directory: dir)
        try spill.append(written)
        let path = spill.path
        spill.close()
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let firstLength = SpillRecordHeader(bytes[...])!.payloadLength + SpillRecordHeader.size
        bytes[firstLength + SpillRecordHeader.size + 10] ^= 0x20  // flip a bit in record 2's payload
        bytes[firstLength + 5] ^= 0xFF                              // and garble its length
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let reopened = try SpillFile(directory: dir)
        XCTAssertEqual(reopened.corruptRecords, 1)
        XCTAssertEqual(reopened.pendingRows, 6)
        XCTAssertEqual(try drain(reopened), [written[0], written[2]])
    }

    func testSecondWriterOnTheSameSpillIsRefused() throws {
        let dir = try temporaryDirectory(self).path
        let first = try SpillFile(directory: dir)
        XCTAssertThrowsError(try SpillFile(directory: dir)) { error in
            XCTAssertTrue("\(error)".contains("in use by another"), "\(error)")
        }
        first.close()
        XCTAssertNoThrow(try SpillFile(directory: dir), "the lock goes with the file")
    }

    func testDiskFullAppendFailsCleanly() throws {
        let dir = try temporaryDirectory(self).path
        try FileManager.default.createSymbolicLink(atPath: dir + "/" + SpillFile.defaultName, withDestinationPath: "/dev/full")
        let spill = try SpillFile(directory: dir)
        XCTAssertThrowsError(try spill.append(batches([5]))) { error in
            XCTAssertEqual((error as? StorageError)?.code, ENOSPC, "\(error)")
        }
        XCTAssertEqual(spill.pendingRows, 0)
        XCTAssertNil(try spill.next())
    }
}
