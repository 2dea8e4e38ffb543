import FinOpsCore
import Foundation

/// Turns a `PageView` into HTML: the page template inside the layout (navigation, range
/// selector, links to the JSON and CSV of the same view). Mustache escapes every `{{value}}`
/// for HTML text and quoted attributes; only SVG this code rendered goes in unescaped.
struct PageRenderer {
    let assets: DashboardAssets
    let version: String
    let refreshSeconds: Int
    let authEnabled: Bool

    struct Location {
        /// The page's path (`/`, `/teams/search`) and the JSON view behind it.
        var path: String
        var apiPath: String
        var nav: String
        /// Query items to keep in links (filters); `range` is handled separately.
        var query: [(String, String?)]
        var range: DashboardRange?
    }

    static let navigation: [(id: String, path: String, label: String)] = [
        ("overview", "/", "Overview"), ("drift", "/drift", "Drift & anomalies"), ("budgets", "/budgets", "Budgets"),
        ("providers", "/providers", "Providers & models"), ("strategies", "/strategies", "Strategies"), ("requests", "/requests", "Requests"),
    ]

    func html(_ page: PageView, at loc: Location, now: Date) -> String {
        let rangeItem: [(String, String?)] = [("range", loc.range.map { $0.kind == DashboardRange.defaultKind ? nil : $0.kind.rawValue } ?? nil)]
        var context: [String: Any] = page.extra
        context["kpis"] = page.kpis.map(\.context)
        context["charts"] = page.charts
        var tables: [String: Any] = [:]
        for table in page.tables {
            let csv = DashboardLinks.url(loc.apiPath, rangeItem + loc.query + [("format", "csv"), ("table", table.id)])
            tables[table.id] = Self.tableContext(table, csvHref: csv)
        }
        context["tables"] = tables
        context["rangeLabel"] = loc.range?.kind.label ?? ""
        let body = assets.render(page.template, context)
        let layout: [String: Any] = [
            "title": page.title, "summary": page.summary, "hasSummary": !page.summary.isEmpty, "body": body, "version": version,
            "hasNav": true, "hasJSON": true,
            "generatedAt": DisplayFormat.timestamp(now) + " UTC",
            "nav": Self.navigation.map { ["href": $0.path, "label": $0.label, "current": $0.id == loc.nav] },
            "ranges": loc.range.map { current in
                DashboardRange.Kind.allCases.map { kind in
                    ["label": kind.rawValue == "mtd" ? "MTD" : kind.rawValue, "title": kind.label, "current": kind == current.kind,
                     "href": DashboardLinks.url(loc.path, loc.query + [("range", kind == DashboardRange.defaultKind ? nil : kind.rawValue)])]
                }
            } ?? [],
            "hasRange": loc.range != nil,
            "rangeFrom": loc.range.map { DisplayFormat.bucket($0.from, hourly: $0.hourly) } ?? "",
            "rangeTo": loc.range.map { DisplayFormat.bucket($0.now, hourly: true) } ?? "",
            "jsonHref": DashboardLinks.url(loc.apiPath, rangeItem + loc.query),
            "refreshSeconds": refreshSeconds, "refresh": refreshSeconds > 0,
            "authEnabled": authEnabled,
        ]
        return assets.render("layout", layout)
    }

    /// A standalone page (errors, the login form) in the same layout, without a range.
    func message(title: String, text: String, login: Bool = false, next: String = "/", failed: Bool = false) -> String {
        let body = assets.render(login ? "login" : "message", ["title": title, "text": text, "next": next, "failed": failed])
        return assets.render("layout", [
            "title": title, "summary": "", "hasSummary": false, "body": body, "version": version, "hasNav": !login, "hasJSON": false,
            "generatedAt": DisplayFormat.timestamp(Date()) + " UTC",
            "nav": login ? [] : Self.navigation.map { ["href": $0.path, "label": $0.label, "current": false] },
            "ranges": [] as [Any], "hasRange": false, "jsonHref": "", "refresh": false, "refreshSeconds": 0, "authEnabled": false,
        ] as [String: Any])
    }

    static func tableContext(_ t: DataTable, csvHref: String) -> [String: Any] {
        [
            "id": t.id, "caption": t.caption, "csvHref": csvHref, "empty": t.rows.isEmpty, "emptyMessage": t.emptyMessage,
            "colspan": max(1, t.columns.count), "count": t.rows.count,
            "columns": t.columns.map { ["title": $0.title, "numeric": $0.numeric] },
            "rows": t.rows.map { row in
                ["cells": row.enumerated().map { i, cell -> [String: Any] in
                    ["text": cell.text, "numeric": i < t.columns.count && t.columns[i].numeric, "tone": cell.tone ?? "",
                     "first": i == 0, "hasHref": cell.href != nil, "href": cell.href ?? "", "hasSvg": cell.svg != nil, "svg": cell.svg ?? ""]
                }]
            },
        ]
    }
}
