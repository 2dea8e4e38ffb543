import Synchronization

/// Owns the gateway's long-running background loops: each is a Task kept here, cancelled and
/// awaited at shutdown, so none outlives the app.
final class BackgroundTasks: Sendable {
    private let tasks = Mutex<[Task<Void, Never>]>([])

    func add(_ task: Task<Void, Never>) {
        tasks.withLock { $0.append(task) }
    }

    func cancelAll() async {
        let running = tasks.withLock { t -> [Task<Void, Never>] in
            defer { t.removeAll() }
            return t
        }
        for task in running { task.cancel() }
        for task in running { await task.value }
    }
}
