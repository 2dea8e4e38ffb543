import Synchronization

/// Collapses identical requests that are in flight at the same time onto one upstream call:
/// the first (leader) calls, the others wait and get the same result. Only for non-streaming
/// calls, and only when the team or the request opts in (an identical prompt may legitimately
/// be meant to get two different samples).
final class InFlightDedup<Value: Sendable>: Sendable {
    struct Key: Hashable, Sendable {
        var namespace: String
        var body: [UInt8]
    }

    private struct Waiting {
        var followers: [CheckedContinuation<Value, Never>] = []
    }

    private let inFlight = Mutex<[Key: Waiting]>([:])

    /// Runs `work` unless an identical call is already running; returns its value and whether
    /// this caller joined another's call.
    func run(_ key: Key, _ work: @escaping @Sendable () async -> Value) async -> (Value, joined: Bool) {
        let isLeader = inFlight.withLock { table -> Bool in
            if table[key] != nil { return false }
            table[key] = Waiting()
            return true
        }
        if isLeader {
            let value = await work()
            let followers = inFlight.withLock { $0.removeValue(forKey: key)?.followers ?? [] }
            for follower in followers { follower.resume(returning: value) }
            return (value, false)
        }
        let value = await withCheckedContinuation { (cont: CheckedContinuation<Value, Never>) in
            let joined = inFlight.withLock { table -> Bool in
                guard table[key] != nil else { return false }
                table[key]!.followers.append(cont)
                return true
            }
            // The leader finished between our two looks: run on our own.
            if !joined { Task { cont.resume(returning: await work()) } }
        }
        return (value, true)
    }

    var inFlightCount: Int { inFlight.withLock { $0.count } }
}
