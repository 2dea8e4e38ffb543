/// The work of `finops-router classify`, without the I/O: one JSONL request line in, one JSONL
/// score line out.
///
/// In:  `{"id": 7, "prompt": "..."}` or `{"id": "a", "messages": [...], "max_tokens": 900, "tools": [...]}`
/// Out: `{"id": 7, "complexity": 3, "score": 0.2113, "p_strong": 0.2113, "tier": "small"}`
///
/// `score` is the name for the strong-model probability and `p_strong` the classifier's;
/// both are written so either consumer reads it. A line without an id gets `"line": n`
/// (1-based) instead; a line that is not a JSON object gets an `"error"` line, and blank lines
/// are skipped, so output lines stay matched to input records.
public struct JSONLScorer: Sendable {
    public let classifier: ComplexityClassifier
    public let tiers: AutoTierThresholds
    /// Lines seen (blank ones included, for `"line": n`), and lines that could not be scored.
    public private(set) var lines = 0
    public private(set) var failures = 0

    public init(classifier: ComplexityClassifier, tiers: AutoTierThresholds) {
        self.classifier = classifier
        self.tiers = tiers
    }

    /// Appends the score line (with its newline) for `line` to `out`.
    public mutating func score(line: ArraySlice<UInt8>, into out: inout [UInt8]) {
        lines += 1
        var bytes = line
        while let last = bytes.last, last == 0x0D || last == 0x20 || last == 0x09 { bytes.removeLast() }
        guard bytes.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { return }
        let body: JSONValue
        do {
            body = try JSONParser.parse(Array(bytes))
        } catch {
            failures += 1
            appendHead(id: nil, into: &out)
            out.append(contentsOf: ",\"error\":".utf8)
            JSONValue.writeString("not JSON: \(error.reason) at byte \(error.offset)", into: &out)
            out.append(contentsOf: "}\n".utf8)
            return
        }
        guard case .object = body else {
            failures += 1
            appendHead(id: body["id"], into: &out)
            out.append(contentsOf: ",\"error\":\"expected a JSON object\"}\n".utf8)
            return
        }
        let score = classifier.classify(ClassifierInput(body: body))
        let p = (score.pStrong * 10_000).rounded() / 10_000
        appendHead(id: body["id"], into: &out)
        out.append(contentsOf: ",\"complexity\":\(score.complexity),\"score\":\(p),\"p_strong\":\(p),\"tier\":\"".utf8)
        out.append(contentsOf: tiers.tier(forComplexity: score.complexity).rawValue.utf8)
        out.append(contentsOf: "\"}\n".utf8)
    }

    /// `{"id":<id>` as given (any JSON value), or `{"line":n` when the line has none.
    private func appendHead(id: JSONValue?, into out: inout [UInt8]) {
        if let id {
            out.append(contentsOf: "{\"id\":".utf8)
            id.write(into: &out)
        } else {
            out.append(contentsOf: "{\"line\":\(lines)".utf8)
        }
    }
}
