/// A Prometheus duration (`30s`, `5m`, `1h`, `1d`, `1w`): whole seconds, written back in the
/// largest unit that divides it, so generated rules are stable text.
public struct PromDuration: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let seconds: Int

    private static let units: [(suffix: Character, seconds: Int)] = [("w", 604_800), ("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]

    public init(seconds: Int) {
        precondition(seconds > 0, "durations are positive")
        self.seconds = seconds
    }

    /// Parses one number and one unit; nil for anything else (`90`, `1h30m`, `-5m`, `0s`).
    public init?(_ text: String) {
        guard let unit = text.last, let factor = Self.units.first(where: { $0.suffix == unit })?.seconds,
              let n = Int(text.dropLast()), n > 0, n <= 10_000 else { return nil }
        self.init(seconds: n * factor)
    }

    public static func minutes(_ n: Int) -> PromDuration { PromDuration(seconds: n * 60) }
    public static func hours(_ n: Int) -> PromDuration { PromDuration(seconds: n * 3_600) }
    public static func days(_ n: Int) -> PromDuration { PromDuration(seconds: n * 86_400) }

    public var description: String {
        let unit = Self.units.first { seconds % $0.seconds == 0 }!
        return "\(seconds / unit.seconds)\(unit.suffix)"
    }

    public static func < (a: PromDuration, b: PromDuration) -> Bool { a.seconds < b.seconds }
}
