import Foundation
import XCTest
import Yams

/// A parsed YAML document with forgiving lookups for assertions: `doc["spec"]["ports"][0]["name"].string`.
/// A missing key gives `.missing`, so a chain of lookups fails at the assertion that names it.
struct YAMLValue: CustomStringConvertible {
    let raw: Any?

    static var missing: YAMLValue { YAMLValue(raw: nil) }

    subscript(key: String) -> YAMLValue {
        guard let map = raw as? [AnyHashable: Any] else { return .missing }
        return YAMLValue(raw: map[AnyHashable(key)] ?? nil)
    }

    subscript(index: Int) -> YAMLValue {
        guard let list = raw as? [Any], list.indices.contains(index) else { return .missing }
        return YAMLValue(raw: list[index])
    }

    var exists: Bool { raw != nil && !(raw is NSNull) }
    var string: String? {
        switch raw {
        case let s as String: s
        case let i as Int: String(i)
        case let d as Double: String(d)
        case let b as Bool: String(b)
        default: nil
        }
    }
    var int: Int? { raw as? Int ?? (raw as? String).flatMap(Int.init) }
    var bool: Bool? { raw as? Bool }
    var array: [YAMLValue] { (raw as? [Any])?.map { YAMLValue(raw: $0) } ?? [] }
    var keys: [String] { ((raw as? [AnyHashable: Any])?.keys.compactMap { $0.base as? String } ?? []).sorted() }
    var dictionary: [String: YAMLValue] {
        var out: [String: YAMLValue] = [:]
        for key in keys { out[key] = self[key] }
        return out
    }
    var strings: [String] { array.compactMap(\.string) }

    /// Order-independent rendering of maps (sorted keys), for comparing two documents by content.
    var canonical: String { Self.canonical(raw) }

    var description: String { canonical }

    private static func canonical(_ value: Any?) -> String {
        switch value {
        case nil, is NSNull: return "null"
        case let map as [AnyHashable: Any]:
            let items = map.map { (String(describing: $0.key.base), $0.value) }.sorted { $0.0 < $1.0 }
            return "{" + items.map { "\($0.0.debugDescription): \(canonical($0.1))" }.joined(separator: ", ") + "}"
        case let list as [Any]: return "[" + list.map { canonical($0) }.joined(separator: ", ") + "]"
        case let s as String: return s.debugDescription
        default: return String(describing: value!)
        }
    }
}

extension YAMLValue {
    static func parse(_ text: String, file: String = "") throws -> YAMLValue {
        YAMLValue(raw: try Yams.load(yaml: text))
    }

    /// Every document of a multi-document file.
    static func parseAll(_ text: String) throws -> [YAMLValue] {
        try Yams.load_all(yaml: text).map { YAMLValue(raw: $0) }
    }
}
