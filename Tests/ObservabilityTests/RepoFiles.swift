import Foundation

/// Files of this repository (the committed generated output, runbooks, promtool tests).
enum RepoFiles {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func read(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    static func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path)
    }

    static func list(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(folder).path).sorted()
    }
}

/// Metric and recording-rule names in a PromQL expression: identifiers that contain `finops_router`.
func metricNames(in expr: String) -> Set<String> {
    var names = Set<String>()
    var current = ""
    func flush() {
        if current.contains("finops_router") { names.insert(current) }
        current = ""
    }
    var inString = false
    for ch in expr {
        if ch == "\"" { inString.toggle(); flush(); continue }
        if inString { continue }
        if ch.isLetter || ch.isNumber || ch == "_" || ch == ":" { current.append(ch) } else { flush() }
    }
    flush()
    return names
}
