/// Keyword groups as a hash table keyed by the 64-bit FNV-1a hash of each keyword's bytes, so
/// the classifier can look words up while scanning, without building a `String` per word.
///
/// A two-word entry ("step by") is stored under the hash of "step by" and matched by hashing
/// each word a second time, continuing from the previous word's hash plus a space
/// (`PromptFeatures` does that). Open addressing with linear probing over a power-of-two table
/// kept at most a quarter full: lookups are one multiply-free mask and usually one probe.
/// A 64-bit collision between a keyword and an unrelated word is possible in principle and
/// harmless in practice (one miscounted hit); the fixture tests would show a systematic one.
public struct KeywordLexicon: Sendable {
    /// Group names in feature order; a word's mask has bit `i` set for `groups[i]`.
    public let groups: [String]
    private let keys: [UInt64]
    private let masks: [UInt32]
    private let slotMask: Int

    static let fnvOffset: UInt64 = 0xcbf2_9ce4_8422_2325
    static let fnvPrime: UInt64 = 0x0000_0100_0000_01b3

    /// `groups`: (name, keywords) in feature order; keywords are lower-case, one or two words.
    public init(groups: [(name: String, keywords: [String])]) {
        precondition(groups.count <= 32, "at most 32 keyword groups fit the mask")
        self.groups = groups.map(\.name)
        var entries: [UInt64: UInt32] = [:]
        for (index, group) in groups.enumerated() {
            for keyword in group.keywords {
                entries[Self.hash(keyword.utf8), default: 0] |= 1 << UInt32(index)
            }
        }
        var size = 16
        while size < entries.count * 4 { size <<= 1 }
        var keys = [UInt64](repeating: 0, count: size)
        var masks = [UInt32](repeating: 0, count: size)
        for (key, mask) in entries {
            var slot = Int(truncatingIfNeeded: key) & (size - 1)
            while masks[slot] != 0 { slot = (slot + 1) & (size - 1) }
            keys[slot] = key
            masks[slot] = mask
        }
        self.keys = keys
        self.masks = masks
        self.slotMask = size - 1
    }

    /// Group bits for the word or phrase whose FNV-1a hash is `hash`; 0 when it is no keyword.
    @inline(__always)
    public func mask(forHash hash: UInt64) -> UInt32 {
        var slot = Int(truncatingIfNeeded: hash) & slotMask
        while true {
            let mask = masks[slot]
            if mask == 0 { return 0 }
            if keys[slot] == hash { return mask }
            slot = (slot + 1) & slotMask
        }
    }

    /// Group bits for `text` as written (already lower-case), for tests and `route --explain`.
    public func mask(for text: String) -> UInt32 { mask(forHash: Self.hash(text.utf8)) }

    /// FNV-1a over `bytes`, starting from `seed` (the offset basis by default).
    @inline(__always)
    static func hash<S: Sequence>(_ bytes: S, seed: UInt64 = fnvOffset) -> UInt64 where S.Element == UInt8 {
        var h = seed
        for byte in bytes { h = step(h, byte) }
        return h
    }

    @inline(__always)
    static func step(_ h: UInt64, _ byte: UInt8) -> UInt64 { (h ^ UInt64(byte)) &* fnvPrime }
}
