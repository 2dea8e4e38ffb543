import FinOpsCore
import Foundation

/// The writer's mutable state. @unchecked Sendable: every field is read and written only while
/// holding `condition` (an NSCondition, which is its own lock).
final class WriterState: @unchecked Sendable {
    let condition = NSCondition()
    let capacity: Int
    var stats = TelemetryWriterStats()
    var started = false
    var stopping = false
    var abandoned = false
    var finished = false
    // FIFO as an array plus a head index, compacted when the consumed prefix grows large.
    private var items: [TelemetryRecord] = []
    private var head = 0

    init(capacity: Int) { self.capacity = capacity }

    var pending: Int { items.count - head }

    func append(_ record: TelemetryRecord) { items.append(record) }

    func peek(_ n: Int) -> [TelemetryRecord] { Array(items[head..<head + min(n, pending)]) }

    func removeFirst(_ n: Int) {
        head += n
        if head == items.count {
            items.removeAll(keepingCapacity: items.count <= 4_096)  // do not pin a burst's memory
            head = 0
        } else if head >= 4_096 && head * 2 >= items.count {
            items.removeFirst(head)
            head = 0
        }
    }
}
