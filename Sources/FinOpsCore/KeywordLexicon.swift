/// The classifier's word tables as hash tables keyed by the 64-bit FNV-1a hash of each word's
/// bytes, so the scanner looks words up while it reads, without building a `String` per word.
///
/// One table holds every single word that matters: its keyword-group bits and its vocabulary
/// weight (a 32-bit float, as the training script rounds them). Two-word phrases ("step by")
/// live in a second, tiny table; their first words carry a `startsPhrase` bit, and only after
/// such a word does the scanner hash "first second" (continuing from the first word's hash plus
/// a space). Open addressing with linear probing over power-of-two tables kept at most half
/// full; a slot is 16 bytes, so the whole table for ~6,500 words is 256 KiB.
/// A 64-bit collision between a table word and an unrelated word is possible in principle and
/// harmless in practice (one miscounted hit); the fixture tests would show a systematic one.
public struct KeywordLexicon: Sendable {
    /// Group names in feature order; a word's mask has bit `i` set for `groups[i]`.
    public let groups: [String]
    private let slots: [Slot]
    private let slotMask: Int
    private let phrases: [Slot]
    private let phraseMask: Int

    struct Slot: Sendable {
        var key: UInt64 = 0
        var weight: Float = 0
        /// Group bits, plus `occupied` and `startsPhrase`.
        var bits: UInt32 = 0
    }

    /// What a single word is to the classifier.
    public struct Entry: Sendable, Equatable {
        public var mask: UInt32
        public var weight: Float
        public var startsPhrase: Bool
    }

    static let occupied: UInt32 = 1 << 31
    static let startsPhrase: UInt32 = 1 << 30
    static let groupBits: UInt32 = (1 << 30) - 1
    static let fnvOffset: UInt64 = 0xcbf2_9ce4_8422_2325
    static let fnvPrime: UInt64 = 0x0000_0100_0000_01b3

    /// `groups`: (name, keywords) in feature order; keywords are lower-case, one or two words.
    /// `vocabulary`: lower-case single words and their logit weights.
    public init(groups: [(name: String, keywords: [String])], vocabulary: [String: Float] = [:]) {
        precondition(groups.count <= 30, "at most 30 keyword groups fit the mask")
        self.groups = groups.map(\.name)
        var words: [UInt64: Slot] = [:]
        var phrases: [UInt64: Slot] = [:]
        for (index, group) in groups.enumerated() {
            for keyword in group.keywords {
                let parts = keyword.split(separator: " ")
                if parts.count > 1 {
                    phrases[Self.hash(keyword.utf8), default: Slot(key: Self.hash(keyword.utf8))].bits |= 1 << UInt32(index)
                    let first = Self.hash(parts[0].utf8)
                    words[first, default: Slot(key: first)].bits |= Self.startsPhrase
                } else {
                    let key = Self.hash(keyword.utf8)
                    words[key, default: Slot(key: key)].bits |= 1 << UInt32(index)
                }
            }
        }
        for (word, weight) in vocabulary where weight != 0 {
            let key = Self.hash(word.utf8)
            words[key, default: Slot(key: key)].weight = weight
        }
        (slots, slotMask) = Self.table(words.values)
        (self.phrases, phraseMask) = Self.table(phrases.values)
    }

    private static func table<S: Sequence>(_ entries: S) -> ([Slot], Int) where S.Element == Slot {
        let list = entries.sorted { $0.key < $1.key }  // placement must not depend on dictionary order
        var size = 16
        while size < list.count * 2 { size <<= 1 }
        var slots = [Slot](repeating: Slot(), count: size)
        for var entry in list {
            entry.bits |= occupied
            var slot = Int(truncatingIfNeeded: entry.key) & (size - 1)
            while slots[slot].bits != 0 { slot = (slot + 1) & (size - 1) }
            slots[slot] = entry
        }
        return (slots, size - 1)
    }

    /// Groups, weight and phrase bit of the word whose FNV-1a hash is `hash`.
    @inline(__always)
    public func entry(forHash hash: UInt64) -> Entry {
        let (bits, weight) = slots.withUnsafeBufferPointer { Self.find(hash, $0, slotMask) }
        return Entry(mask: bits & Self.groupBits, weight: weight, startsPhrase: bits & Self.startsPhrase != 0)
    }

    /// Group bits of the two-word phrase whose hash is `hash`; 0 when it is none.
    @inline(__always)
    public func phraseMask(forHash hash: UInt64) -> UInt32 {
        phrases.withUnsafeBufferPointer { Self.find(hash, $0, phraseMask).bits } & Self.groupBits
    }

    @inline(__always)
    static func find(_ hash: UInt64, _ slots: UnsafeBufferPointer<Slot>, _ mask: Int) -> (bits: UInt32, weight: Float) {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let s = slots[slot]
            if s.bits == 0 { return (0, 0) }
            if s.key == hash { return (s.bits, s.weight) }
            slot = (slot + 1) & mask
        }
    }

    /// Direct table access for the scanner's loop (no bounds checks, no copies).
    func withTables<R>(_ body: (_ words: UnsafeBufferPointer<Slot>, _ wordMask: Int,
                                _ phrases: UnsafeBufferPointer<Slot>, _ phraseMask: Int) -> R) -> R {
        slots.withUnsafeBufferPointer { w in phrases.withUnsafeBufferPointer { p in body(w, slotMask, p, phraseMask) } }
    }

    /// Group bits for `text` as written (already lower-case; one word or a two-word phrase).
    public func mask(for text: String) -> UInt32 {
        text.contains(" ") ? phraseMask(forHash: Self.hash(text.utf8)) : entry(forHash: Self.hash(text.utf8)).mask
    }

    /// The vocabulary weight of one lower-case word (0 when it has none).
    public func weight(of word: String) -> Float { entry(forHash: Self.hash(word.utf8)).weight }

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
