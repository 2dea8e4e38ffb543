import FinOpsCore
import Foundation

/// A page of raw `llm_requests` rows for the dashboard's Requests view: optional equality
/// filters, a half-open time range, and keyset pagination (newest first), so a deep page costs
/// the same index walk as the first one. Every value reaches SQL as a bound parameter.
public struct RequestQuery: Sendable, Equatable {
    public var team: String?
    public var model: String?
    public var provider: String?
    public var status: RequestStatus?
    /// Inclusive lower bound on `time`.
    public var from: Date?
    /// Exclusive upper bound on `time`.
    public var to: Date?
    /// Only rows strictly older than this position in (time, request_id) order: the cursor of
    /// the previous page's last row.
    public var before: RequestCursor?
    /// Rows to return, 1...1000.
    public var limit: Int

    public init(team: String? = nil, model: String? = nil, provider: String? = nil, status: RequestStatus? = nil,
                from: Date? = nil, to: Date? = nil, before: RequestCursor? = nil, limit: Int = 50) {
        self.team = team; self.model = model; self.provider = provider; self.status = status
        self.from = from; self.to = to; self.before = before
        self.limit = min(max(limit, 1), 1_000)
    }

    /// The equality filters as (column, value) pairs in a fixed order, for both dialects.
    var equalities: [(column: String, value: String)] {
        [("team", team), ("model", model), ("provider", provider), ("status", status?.rawValue)]
            .compactMap { pair in pair.1.map { (pair.0, $0) } }
    }
}

/// Where a page ended: the (time, request_id) of its last row. Travels in URLs as
/// `<unix ms>~<request id>`.
public struct RequestCursor: Sendable, Equatable {
    /// Unix milliseconds, as stored.
    public var timeMillis: Int64
    public var requestID: String

    public init(timeMillis: Int64, requestID: String) {
        self.timeMillis = timeMillis
        self.requestID = requestID
    }

    public init(after record: TelemetryRecord) {
        self.init(timeMillis: SpendRollup.Granularity.epochMillis(record.time), requestID: record.requestID)
    }

    public var token: String { "\(timeMillis)~\(requestID)" }

    /// Parses `token`; nil for anything else.
    public init?(token: String) {
        guard let tilde = token.firstIndex(of: "~"), let ms = Int64(token[..<tilde]) else { return nil }
        let id = String(token[token.index(after: tilde)...])
        guard !id.isEmpty else { return nil }
        self.init(timeMillis: ms, requestID: id)
    }
}
