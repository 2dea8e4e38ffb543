import FinOpsCore
import Foundation
import Logging

/// The telemetry writer's overflow: an append-only file of batches that could not reach the
/// store (down or slow), replayed in order when it is back, and at start-up before new rows.
///
/// Each record is one batch: `SpillRecordHeader` + the batch as JSON, fsync'd before `append`
/// returns, so a spilled row survives `kill -9` and power loss. Opening scans the file: torn
/// tails and corrupt records are counted, copied to `<file>.corrupt` for inspection, and
/// skipped. Replays may repeat after a crash; the stores' idempotent insert makes that harmless.
/// When every record has been replayed the file is truncated to zero.
///
/// Not thread-safe: the telemetry writer thread is its only user.
public final class SpillFile: @unchecked Sendable {
    public static let defaultName = "telemetry.spill"

    struct Entry { let offset: Int64; let length: Int; let rows: Int }

    public var path: String { file.path }
    private let file: AppendOnlyFile
    private var entries: [Entry] = []
    private var head = 0
    private var end: Int64 = 0
    private var cachedHead: (index: Int, records: [TelemetryRecord])?
    /// Rows appended and not yet replayed.
    public private(set) var pendingRows = 0
    /// Corrupt records and torn tails skipped since opening (found by the scan or at replay).
    public private(set) var corruptRecords = 0

    /// Opens (creating it and its directory if needed) `<directory>/<name>`, locks it, and scans it.
    public init(directory: String, name: String = SpillFile.defaultName, logger: Logger? = nil) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw StorageError(kind: .io, operation: "create spill directory", message: "cannot create \(directory)")
        }
        file = try AppendOnlyFile(path: (directory as NSString).appendingPathComponent(name))
        let scan = try SpillScanner(file: file).scan()
        entries = scan.entries
        end = scan.validEnd
        corruptRecords = scan.corruptRegions
        pendingRows = entries.reduce(0) { $0 + $1.rows }
        if scan.corruptRegions > 0 {
            logger?.error("spill file had corrupt records; they were skipped and copied to \(path).corrupt",
                          metadata: ["corrupt_records": "\(scan.corruptRegions)", "valid_records": "\(entries.count)"])
        }
    }

    public var pendingRecords: Int { entries.count - head }
    public var isEmpty: Bool { pendingRecords == 0 }
    public var sizeBytes: Int64 { end }

    /// Appends each batch as one record and fsyncs once. All or nothing: on failure (disk full)
    /// the file is cut back and nothing counts as spilled.
    public func append(_ batches: [[TelemetryRecord]]) throws {
        let encoder = JSONEncoder()
        var bytes: [UInt8] = []
        var added: [Entry] = []
        for batch in batches where !batch.isEmpty {
            let payload = Array(try encoder.encode(batch))
            added.append(Entry(offset: end + Int64(bytes.count), length: payload.count, rows: batch.count))
            bytes += SpillRecordHeader(payload: payload, rows: batch.count).bytes + payload
        }
        guard !bytes.isEmpty else { return }
        try file.writeAndSync(bytes, at: end)
        end += Int64(bytes.count)
        entries += added
        pendingRows += added.reduce(0) { $0 + $1.rows }
    }

    /// The oldest batch not yet replayed, or nil when none is left. A record that no longer
    /// reads back (checksum, JSON) is counted in `corruptRecords` and skipped.
    public func next() throws -> [TelemetryRecord]? {
        while head < entries.count {
            if let cached = cachedHead, cached.index == head { return cached.records }
            let entry = entries[head]
            let bytes = try file.read(at: entry.offset, count: SpillRecordHeader.size + entry.length)
            if let header = SpillRecordHeader(bytes[...]), header.payloadLength == entry.length,
               header.checksum == header.expectedChecksum(of: Array(bytes.dropFirst(SpillRecordHeader.size))),
               let records = try? JSONDecoder().decode([TelemetryRecord].self, from: Data(bytes.dropFirst(SpillRecordHeader.size))) {
                cachedHead = (head, records)
                return records
            }
            corruptRecords += 1
            try advance()
        }
        return nil
    }

    /// Marks the batch returned by `next()` as stored. Truncates the file once all are.
    public func removeNext() throws {
        guard head < entries.count else { return }
        try advance()
    }

    private func advance() throws {
        pendingRows -= entries[head].rows
        head += 1
        cachedHead = nil
        if head == entries.count {
            try file.truncate(to: 0)
            entries.removeAll()
            head = 0
            end = 0
        }
    }

    public func close() { file.close() }
}
