/// The classifier's word tables as hash tables keyed by a 64-bit hash of each word's bytes
/// (`wordHash`), so the scanner looks words up while it reads, without building a `String`
/// per word.
///
/// One table holds every single word that matters: its keyword groups and its vocabulary
/// weight (a 32-bit float, as the training script rounds them). Two-word phrases ("step by")
/// live in a second, tiny table under `phraseKey(first, second)`. Open addressing with linear
/// probing over power-of-two tables kept at most half full; a slot is 16 bytes, so the table
/// for ~6,500 words is 256 KiB.
///
/// A slot holds the word's group bits in its low 16 bits.
/// A 64-bit collision between a table word and an unrelated word is possible in principle and
/// harmless in practice (one miscounted hit); the fixture tests would show a systematic one.
public struct KeywordLexicon: Sendable {
    /// Group names in feature order; group `i` is bit `i` of a mask and lane `i` of the counters.
    public let groups: [String]
    private let slots: [Slot]
    private let slotMask: Int
    private let phrases: [Slot]
    private let phraseMask: Int

    struct Slot: Sendable {
        var key: UInt64 = 0
        var weight: Float = 0
        /// `occupied`, `startsPhrase`, and the word's group bits (low 16 bits).
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
    static let groupBits: UInt32 = 0xFFFF
    /// Groups that fit a slot's group bits.
    public static let maxGroups = 16

    /// `groups`: (name, keywords) in feature order; keywords are lower-case, one or two words.
    /// `vocabulary`: lower-case single words and their logit weights.
    public init(groups: [(name: String, keywords: [String])], vocabulary: [String: Float] = [:]) {
        precondition(groups.count <= Self.maxGroups, "at most \(Self.maxGroups) keyword groups fit a slot")
        self.groups = groups.map(\.name)
        var words: [UInt64: (mask: UInt32, weight: Float, startsPhrase: Bool)] = [:]
        var phrases: [UInt64: UInt32] = [:]
        for (index, group) in groups.enumerated() {
            for keyword in group.keywords {
                let parts = keyword.split(separator: " ")
                if parts.count > 1 {
                    let first = Self.hash(parts[0].utf8), key = Self.phraseKey(first, Self.hash(parts[1].utf8))
                    phrases[key, default: 0] |= 1 << UInt32(index)
                    words[first, default: (0, 0, false)].startsPhrase = true
                } else {
                    words[Self.hash(keyword.utf8), default: (0, 0, false)].mask |= 1 << UInt32(index)
                }
            }
        }
        for (word, weight) in vocabulary where weight != 0 {
            words[Self.hash(word.utf8), default: (0, 0, false)].weight = weight
        }
        let wordSlots = words.sorted { $0.key < $1.key }.map { key, entry in
            Slot(key: key, weight: entry.weight, bits: entry.mask | (entry.startsPhrase ? Self.startsPhrase : 0))
        }
        let phraseSlots = phrases.sorted { $0.key < $1.key }.map { Slot(key: $0.key, weight: 0, bits: $0.value) }
        (slots, slotMask) = Self.table(wordSlots)
        (self.phrases, phraseMask) = Self.table(phraseSlots)
    }

    /// `entries` sorted by key, so placement does not depend on dictionary order.
    private static func table(_ entries: [Slot]) -> ([Slot], Int) {
        var size = 16
        while size < entries.count * 2 { size <<= 1 }
        var slots = [Slot](repeating: Slot(), count: size)
        for var entry in entries {
            entry.bits |= occupied
            var slot = Int(truncatingIfNeeded: entry.key) & (size - 1)
            while slots[slot].bits != 0 { slot = (slot + 1) & (size - 1) }
            slots[slot] = entry
        }
        return (slots, size - 1)
    }

    /// Groups, weight and phrase bit of the word whose `wordHash` is `hash`.
    public func entry(forHash hash: UInt64) -> Entry {
        let (bits, weight) = slots.withUnsafeBufferPointer { Self.find(hash, $0, slotMask) }
        return Entry(mask: bits & Self.groupBits, weight: weight, startsPhrase: bits & Self.startsPhrase != 0)
    }

    /// Group bits of the two-word phrase whose key is `key`; 0 when it is none.
    public func phraseMask(forKey key: UInt64) -> UInt32 {
        phrases.withUnsafeBufferPointer { Self.find(key, $0, phraseMask).bits } & Self.groupBits
    }

    @inline(__always)
    static func find(_ hash: UInt64, _ slots: UnsafeBufferPointer<Slot>, _ mask: Int) -> (bits: UInt32, weight: Float) {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let s = slots[slot]
            if s.key == hash { return (s.bits, s.weight) }
            if s.bits == 0 { return (0, 0) }
            slot = (slot &+ 1) & mask
        }
    }

    /// Direct table access for the scanner's loop (no bounds checks, no copies).
    func withTables<R>(_ body: (_ words: UnsafeBufferPointer<Slot>, _ wordMask: Int, _ phrases: UnsafeBufferPointer<Slot>,
                                _ phraseMask: Int) -> R) -> R {
        slots.withUnsafeBufferPointer { w in phrases.withUnsafeBufferPointer { body(w, slotMask, $0, phraseMask) } }
    }

    /// Group bits for `text` as written (already lower-case; one word or a two-word phrase).
    public func mask(for text: String) -> UInt32 {
        let parts = text.split(separator: " ")
        guard parts.count == 2 else { return entry(forHash: Self.hash(text.utf8)).mask }
        return phraseMask(forKey: Self.phraseKey(Self.hash(parts[0].utf8), Self.hash(parts[1].utf8)))
    }

    /// The vocabulary weight of one lower-case word (0 when it has none).
    public func weight(of word: String) -> Float { entry(forHash: Self.hash(word.utf8)).weight }

    /// The lexicon's hash of a word (ASCII letters are lowered).
    static func hash<S: Sequence>(_ bytes: S) -> UInt64 where S.Element == UInt8 {
        let array = Array(bytes) + [0]  // never empty, so there is always a base address
        return array.withUnsafeBufferPointer { wordHash($0.baseAddress!, $0.count - 1, available: $0.count - 1) }
    }

    /// Hash of the `length` (≥ 1) bytes at `p`, ASCII letters lower-cased, read as
    /// little-endian 8-byte chunks, the last one partial (`available` bytes are readable from
    /// `p`: a chunk is one 8-byte load when that stays inside the buffer, else assembled byte
    /// by byte). Not a standard hash, only the lexicon's: build and lookup use this function.
    @inline(__always)
    static func wordHash(_ p: UnsafePointer<UInt8>, _ length: Int, available: Int) -> UInt64 {
        var h = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: length)
        let raw = UnsafeRawPointer(p)
        var offset = 0
        repeat {
            let take = min(length - offset, 8)
            var chunk: UInt64 = 0
            if available - offset >= 8 {
                chunk = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            } else {
                for k in 0..<take { chunk |= UInt64(p[offset + k]) << UInt64(8 * k) }
            }
            chunk &= ~0 >> UInt64(64 - 8 * take)
            h = (h ^ lowered(chunk)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            offset &+= 8
        } while offset < length
        // Final mix (splitmix64), so the low bits that pick a slot depend on every byte.
        h ^= h >> 30
        h = h &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 31)
    }

    /// The key of the phrase "first second" from the two words' hashes.
    @inline(__always)
    static func phraseKey(_ first: UInt64, _ second: UInt64) -> UInt64 {
        var h = (first &* 0xD6E8_FEB8_6659_FD93) ^ second
        h ^= h >> 32
        return h &* 0xD6E8_FEB8_6659_FD93
    }

    /// ASCII A–Z in each byte of `x` lower-cased; other bytes unchanged (SWAR, no carries
    /// across bytes: (b & 0x7F) + 0x3F reaches bit 7 from "A" on, + 0x25 from "[" on).
    @inline(__always)
    static func lowered(_ x: UInt64) -> UInt64 {
        let high: UInt64 = 0x8080_8080_8080_8080
        let t = x & 0x7F7F_7F7F_7F7F_7F7F
        let upper = (t &+ 0x3F3F_3F3F_3F3F_3F3F) & ~(t &+ 0x2525_2525_2525_2525) & ~x & high
        return x | (upper >> 2)
    }
}
