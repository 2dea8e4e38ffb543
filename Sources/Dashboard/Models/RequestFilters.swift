import FinOpsCore
import Foundation
import Storage

/// The Requests view's query string: `team`, `model`, `provider`, `status`, `from`/`to`
/// (UTC dates, both inclusive; `to` before `from` matches nothing), `cursor` (from the previous
/// page) and `limit`. Anything malformed is a `DashboardInputError` naming the parameter (400),
/// never a silent default.
public struct RequestFilters: Sendable, Equatable {
    public var team: String?
    public var model: String?
    public var provider: String?
    public var status: RequestStatus?
    public var from: Date?
    /// Start of the day after the `to` date.
    public var toExclusive: Date?
    public var fromText: String?
    public var toText: String?
    public var cursor: RequestCursor?
    public var limit: Int

    public static let defaultLimit = 50
    public static let maxLimit = 200

    public init(query: [String: String]) throws(DashboardInputError) {
        func text(_ name: String) throws(DashboardInputError) -> String? {
            guard let v = query[name]?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
            guard v.count <= 256 else { throw DashboardInputError(parameter: name, message: "\(name) is longer than 256 characters") }
            return v
        }
        func day(_ name: String) throws(DashboardInputError) -> (Date, String)? {
            guard let v = try text(name) else { return nil }
            let parts = v.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
                  let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), (0...9999).contains(y), (1...12).contains(m),
                  (1...CivilDate.daysIn(year: y, month: m)).contains(d) else {
                throw DashboardInputError(parameter: name, message: "\(name) must be a date like 2026-11-23")
            }
            return (Date(timeIntervalSince1970: Double(CivilDate.daysSinceEpoch(year: y, month: m, day: d)) * 86_400), v)
        }
        team = try text("team")
        model = try text("model")
        provider = try text("provider")
        if let s = try text("status") {
            guard let status = RequestStatus(rawValue: s) else {
                throw DashboardInputError(parameter: "status", message: "status must be one of \(RequestStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            self.status = status
        }
        let f = try day("from"), t = try day("to")
        from = f?.0
        fromText = f?.1
        toExclusive = t.map { $0.0.addingTimeInterval(86_400) }
        toText = t?.1
        if let c = try text("cursor") {
            guard let cursor = RequestCursor(token: c) else {
                throw DashboardInputError(parameter: "cursor", message: "cursor is not one this server handed out")
            }
            self.cursor = cursor
        }
        limit = Self.defaultLimit
        if let l = try text("limit") {
            guard let n = Int(l), (1...Self.maxLimit).contains(n) else {
                throw DashboardInputError(parameter: "limit", message: "limit must be an integer from 1 to \(Self.maxLimit)")
            }
            limit = n
        }
    }

    public var query: RequestQuery {
        RequestQuery(team: team, model: model, provider: provider, status: status, from: from, to: toExclusive, before: cursor, limit: limit)
    }

    /// The filters as query items (without the cursor), for links and the CSV download.
    public var items: [(String, String?)] {
        [("team", team), ("model", model), ("provider", provider), ("status", status?.rawValue), ("from", fromText), ("to", toText),
         ("limit", limit == Self.defaultLimit ? nil : String(limit))]
    }
}

extension CivilDate {
    static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
