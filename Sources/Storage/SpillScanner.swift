import Foundation

/// Reads a spill file from the start at open time and finds its valid records. A region that
/// is not a valid record is one corrupt region: its bytes are copied to `<file>.corrupt`, and
/// reading resumes at the next offset holding a record whose checksum matches. A corrupt
/// region at the end (a torn write, a crash mid-append) is cut off so appends start clean.
struct SpillScanner {
    let file: AppendOnlyFile

    struct Result {
        var entries: [SpillFile.Entry] = []
        var corruptRegions = 0
        /// Where the next record will be appended.
        var validEnd: Int64 = 0
    }

    func scan() throws -> Result {
        var result = Result()
        let size = try file.size
        var offset: Int64 = 0
        while offset < size {
            if let entry = try record(at: offset, size: size) {
                result.entries.append(entry)
                offset += Int64(SpillRecordHeader.size + entry.length)
                continue
            }
            result.corruptRegions += 1
            let resume = try nextRecordStart(after: offset, size: size)
            try quarantine(from: offset, to: resume ?? size)
            guard let resume else {
                try file.truncate(to: offset)
                return finish(result, end: offset)
            }
            offset = resume
        }
        return finish(result, end: size)
    }

    private func finish(_ result: Result, end: Int64) -> Result {
        var result = result
        result.validEnd = end
        return result
    }

    /// The record starting at `offset` if its header, length and checksum all hold.
    private func record(at offset: Int64, size: Int64) throws -> SpillFile.Entry? {
        let headerBytes = try file.read(at: offset, count: SpillRecordHeader.size)
        guard let header = SpillRecordHeader(headerBytes[...]),
              offset + Int64(SpillRecordHeader.size + header.payloadLength) <= size else { return nil }
        let payload = try file.read(at: offset + Int64(SpillRecordHeader.size), count: header.payloadLength)
        guard payload.count == header.payloadLength, header.checksum == header.expectedChecksum(of: payload) else { return nil }
        return SpillFile.Entry(offset: offset, length: header.payloadLength, rows: header.rows)
    }

    /// The first offset after `offset` where a valid record starts, or nil.
    private func nextRecordStart(after offset: Int64, size: Int64) throws -> Int64? {
        let chunk = 64 << 10
        let magic = SpillRecordHeader.magic
        var position = offset + 1
        while position < size {
            let bytes = try file.read(at: position, count: chunk + magic.count - 1)
            var i = 0
            while i + magic.count <= bytes.count {
                if bytes[i] == magic[0] && Array(bytes[i..<i + magic.count]) == magic,
                   try record(at: position + Int64(i), size: size) != nil {
                    return position + Int64(i)
                }
                i += 1
            }
            position += Int64(chunk)
        }
        return nil
    }

    private func quarantine(from start: Int64, to stop: Int64) throws {
        let bytes = try file.read(at: start, count: Int(stop - start))
        let url = URL(fileURLWithPath: file.path + ".corrupt")
        if let handle = try? FileHandle(forWritingTo: url) {
            defer { try? handle.close() }
            _ = try? handle.seekToEnd()
            try? handle.write(contentsOf: bytes)
        } else {
            try? Data(bytes).write(to: url)
        }
    }
}
