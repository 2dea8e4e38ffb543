import FinOpsCore

extension JSONValue {
    /// Two-space indented JSON with keys in their given order: stable, diff-friendly output for
    /// committed generated files (the Grafana dashboard).
    public func prettyPrinted() -> String {
        var out = ""
        write(pretty: &out, depth: 0)
        return out + "\n"
    }

    private func write(pretty out: inout String, depth: Int) {
        let pad = String(repeating: "  ", count: depth + 1)
        let close = String(repeating: "  ", count: depth)
        switch self {
        case .array(let items) where !items.isEmpty && items.allSatisfy(\.isScalar) && items.count <= 8:
            out += "[" + items.map(\.serializedString).joined(separator: ", ") + "]"
        case .array(let items) where !items.isEmpty:
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += pad
                item.write(pretty: &out, depth: depth + 1)
                out += i < items.count - 1 ? ",\n" : "\n"
            }
            out += close + "]"
        case .object(let pairs) where !pairs.isEmpty:
            out += "{\n"
            for (i, (key, value)) in pairs.enumerated() {
                out += pad + JSONValue.string(key).serializedString + ": "
                value.write(pretty: &out, depth: depth + 1)
                out += i < pairs.count - 1 ? ",\n" : "\n"
            }
            out += close + "}"
        default:
            out += serializedString
        }
    }

    private var isScalar: Bool {
        switch self {
        case .array, .object: return false
        default: return true
        }
    }
}
