import FinOpsCore

/// One Prometheus rule: a recording rule (`record`) or an alerting rule (`alert`).
public struct PromRule: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case record(String)
        case alert(String)
    }

    public var kind: Kind
    public var expr: String
    public var duration: PromDuration?
    public var labels: [(String, String)]
    public var annotations: [(String, String)]

    public static func record(_ name: String, _ expr: String, labels: [(String, String)] = []) -> PromRule {
        PromRule(kind: .record(name), expr: expr, duration: nil, labels: labels, annotations: [])
    }

    public var name: String {
        switch kind {
        case .record(let n), .alert(let n): return n
        }
    }

    public var isAlert: Bool { if case .alert = kind { return true }; return false }

    public func label(_ key: String) -> String? { labels.first { $0.0 == key }?.1 }
    public func annotation(_ key: String) -> String? { annotations.first { $0.0 == key }?.1 }

    public static func == (a: PromRule, b: PromRule) -> Bool {
        a.kind == b.kind && a.expr == b.expr && a.duration == b.duration
            && a.labels.map { "\($0.0)=\($0.1)" } == b.labels.map { "\($0.0)=\($0.1)" }
            && a.annotations.map { "\($0.0)=\($0.1)" } == b.annotations.map { "\($0.0)=\($0.1)" }
    }
}

public struct PromRuleGroup: Sendable, Equatable {
    public var name: String
    public var rules: [PromRule]
    public init(name: String, rules: [PromRule]) {
        self.name = name
        self.rules = rules
    }
}

/// Writes rule groups as a Prometheus rule file. Hand-written rather than through a YAML
/// library so the output is byte-stable: fixed key order, expressions as literal blocks,
/// every other string double-quoted.
public enum PromRuleFile {
    public static func render(_ groups: [PromRuleGroup], header: [String]) -> String {
        var out = header.map { "# \($0)".trimmingTrailingSpaces + "\n" }.joined()
        out += "groups:\n"
        for group in groups {
            out += "  - name: \(quoted(group.name))\n    rules:\n"
            for rule in group.rules {
                switch rule.kind {
                case .record(let n): out += "      - record: \(n)\n"
                case .alert(let n): out += "      - alert: \(n)\n"
                }
                out += "        expr: |-\n"
                for line in rule.expr.split(separator: "\n", omittingEmptySubsequences: false) {
                    out += line.isEmpty ? "\n" : "          \(line)".trimmingTrailingSpaces + "\n"
                }
                if let d = rule.duration { out += "        for: \(d)\n" }
                if !rule.labels.isEmpty {
                    out += "        labels:\n"
                    for (k, v) in rule.labels { out += "          \(k): \(quoted(v))\n" }
                }
                if !rule.annotations.isEmpty {
                    out += "        annotations:\n"
                    for (k, v) in rule.annotations { out += "          \(k): \(quoted(v))\n" }
                }
            }
        }
        return out
    }

    /// A YAML double-quoted scalar.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out + "\""
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}

/// Numbers in PromQL and annotations: integers without `.0`, others in Swift's shortest form.
func promNumber(_ v: Double) -> String {
    v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
}
