import FinOpsCore
import Foundation

/// One request to re-send, read from a JSONL line. A line is either a chat request body
/// (`{"model": …, "messages": …}`) or an envelope
/// `{"path": "/v1/chat/completions", "headers": {"X-FinOps-Team": "search"}, "body": {…}}`.
/// Blank lines and lines starting with `#` are skipped.
struct ReplayRequest: Sendable {
    var path: String
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    struct Invalid: Error, CustomStringConvertible {
        let line: Int
        let reason: String
        var description: String { "line \(line): \(reason)" }
    }

    /// Parses the whole file up front, so a bad line stops the run before anything is sent.
    static func load(path: String) throws -> [ReplayRequest] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw Invalid(line: 0, reason: "cannot read \(path)")
        }
        var requests: [ReplayRequest] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            requests.append(try parse(line, number: index + 1))
        }
        return requests
    }

    static func parse(_ line: String, number: Int) throws -> ReplayRequest {
        let value: JSONValue
        do { value = try JSONParser.parse(line) } catch { throw Invalid(line: number, reason: "not JSON (\(error))") }
        guard value.objectValue != nil else { throw Invalid(line: number, reason: "expected a JSON object") }
        guard let body = value["body"] else {
            return ReplayRequest(path: "/v1/chat/completions", headers: [], body: value.serialized())
        }
        guard body.objectValue != nil else { throw Invalid(line: number, reason: "\"body\" must be an object") }
        var headers: [(name: String, value: String)] = []
        for (name, header) in value["headers"]?.objectValue ?? [] {
            guard let text = header.stringValue, !name.contains(":"), !text.contains("\n"), !text.contains("\r") else {
                throw Invalid(line: number, reason: "header \(name) must be a one-line string")
            }
            headers.append((name, text))
        }
        let path = value["path"]?.stringValue ?? "/v1/chat/completions"
        guard path.hasPrefix("/") else { throw Invalid(line: number, reason: "\"path\" must start with /") }
        return ReplayRequest(path: path, headers: headers, body: body.serialized())
    }
}
