import FinOpsCore
import Foundation

/// The first page: the most recent calls with their cost, so a person can see the router work.
/// (The executive dashboard proper replaces it.)
public enum RecentRequestsPage {
    public static func render(_ records: [TelemetryRecord], totalRows: Int, version: String) -> String {
        var spend = Money.zero
        for r in records { spend += r.cost }
        var rows = ""
        let time = ISO8601DateFormatter()
        for r in records {
            rows += "<tr><td>\(HTML.escape(time.string(from: r.time)))</td><td>\(HTML.escape(r.team))</td>"
            rows += "<td>\(HTML.escape(r.provider))</td><td>\(HTML.escape(r.model.isEmpty ? r.requestedModel : r.model))</td>"
            rows += "<td class=\"num\">\(r.inputTokens)</td><td class=\"num\">\(r.outputTokens)</td>"
            rows += "<td class=\"num\">\(HTML.escape(r.cost.description))\(r.estimated ? "*" : "")</td>"
            rows += "<td class=\"num\">\(String(format: "%.1f", r.latencyMs)) ms</td>"
            rows += "<td class=\"status-\(HTML.escape(r.status.rawValue))\">\(HTML.escape(r.status.rawValue))"
            rows += r.errorKind.isEmpty ? "" : " (\(HTML.escape(r.errorKind)))"
            rows += "</td><td><code>\(HTML.escape(r.requestID))</code></td></tr>\n"
        }
        if records.isEmpty {
            rows = "<tr><td colspan=\"10\">No requests yet. Send one to <code>POST /v1/chat/completions</code>.</td></tr>"
        }
        return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>FinOps Router — recent requests</title>
        <style>
        body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;color:#1b1f24}
        h1{font-size:1.4rem;margin:0 0 .25rem} p.meta{color:#57606a;margin:0 0 1rem}
        table{border-collapse:collapse;width:100%;font-size:.9rem} th,td{padding:.35rem .6rem;border-bottom:1px solid #d0d7de;text-align:left}
        th{background:#f6f8fa} td.num{text-align:right;font-variant-numeric:tabular-nums}
        .status-error{color:#b35900} .status-ok{color:#0a6e31}
        </style></head><body>
        <h1>FinOps Router</h1>
        <p class="meta">Last \(records.count) of \(totalRows) recorded calls · spend shown \(HTML.escape(spend.description)) · version \(HTML.escape(version)) · <a href="/metrics">metrics</a></p>
        <table><caption class="meta">* cost estimated from text (the provider returned no usage)</caption>
        <thead><tr><th scope="col">Time (UTC)</th><th scope="col">Team</th><th scope="col">Provider</th><th scope="col">Model</th>
        <th scope="col">In tok</th><th scope="col">Out tok</th><th scope="col">Cost</th><th scope="col">Latency</th><th scope="col">Status</th><th scope="col">Request</th></tr></thead>
        <tbody>
        \(rows)
        </tbody></table></body></html>
        """
    }
}
