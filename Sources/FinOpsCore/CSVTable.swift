/// A CSV file (RFC 4180) read into a header and rows, for `finops-router eval`.
///
/// Quoted fields may hold commas, doubled quotes and line breaks (the eval prompts are
/// multi-line); CRLF and LF both end a record; a UTF-8 byte-order mark is skipped.
public struct CSVTable: Sendable, Equatable {
    public var header: [String]
    public var rows: [[String]]

    public struct ParseError: Error, CustomStringConvertible, Equatable, Sendable {
        public var line: Int
        public var reason: String
        public var description: String { "CSV line \(line): \(reason)" }
    }

    public init(header: [String], rows: [[String]]) {
        self.header = header
        self.rows = rows
    }

    public init(parsing text: String) throws(ParseError) {
        var records: [[String]] = []
        var endLines: [Int] = []  // the line each record ends on, for error messages
        var record: [String] = []
        var field: [UInt8] = []
        var quoted = false, afterQuote = false, fieldStarted = false
        var line = 1
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        func endField() {
            record.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldStarted = false
            afterQuote = false
        }
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            if quoted {
                if c == 0x22 {
                    if i + 1 < bytes.count, bytes[i + 1] == 0x22 { field.append(0x22); i += 1 } else { quoted = false; afterQuote = true }
                } else {
                    if c == 0x0A { line += 1 }
                    field.append(c)
                }
            } else if c == 0x2C {
                endField()
            } else if c == 0x0A || c == 0x0D {
                if c == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A { i += 1 }
                endField()
                if record != [""] { records.append(record); endLines.append(line) }
                record = []
                line += 1
            } else if c == 0x22, !fieldStarted {
                quoted = true
                fieldStarted = true
            } else if afterQuote {
                throw ParseError(line: line, reason: "text after a closing quote")
            } else {
                field.append(c)
                fieldStarted = true
            }
            i += 1
        }
        if quoted { throw ParseError(line: line, reason: "unterminated quoted field") }
        if fieldStarted || !record.isEmpty || afterQuote {
            endField()
            records.append(record)
            endLines.append(line)
        }
        guard let first = records.first else { throw ParseError(line: 1, reason: "no header row") }
        for (index, row) in records.enumerated().dropFirst() where row.count != first.count {
            throw ParseError(line: endLines[index], reason: "\(row.count) fields, the header has \(first.count)")
        }
        header = first
        rows = Array(records.dropFirst())
    }

    /// Values of the column named `name`, or nil when there is no such column.
    public func column(_ name: String) -> [String]? {
        guard let index = header.firstIndex(of: name) else { return nil }
        return rows.map { $0[index] }
    }
}
