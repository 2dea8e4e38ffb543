import FinOpsCore
import Foundation

/// Raw-row search for the dashboard's Requests view (the one view that reads `llm_requests`
/// rather than rollups). Blocking, like `TelemetryStore`.
public protocol RequestSearch: AnyObject, Sendable {
    /// Rows matching `query`, newest first (time, then request id, descending).
    func requests(_ query: RequestQuery) throws -> [TelemetryRecord]
}
