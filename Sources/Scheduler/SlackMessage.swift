import FinOpsCore

/// A Slack incoming-webhook message in Block Kit for one group of alerts (one run, one team,
/// one action): a header, then per alert a section with its message and fields (severity,
/// observed, threshold, scope, detectors) and a context line (fingerprint, runbook), plus a
/// plain `text` fallback for notifications. Text is escaped for mrkdwn and cut to Slack's
/// limits (header 150, section 3,000, field 2,000 characters; 50 blocks).
enum SlackMessage {
    static let maxAlerts = 12

    static func body(_ alerts: [AlertRecord], action: AlertDeliveryAction) -> JSONValue {
        let shown = Array(alerts.prefix(maxAlerts))
        let team = Set(alerts.map(\.team)).count == 1 ? alerts.first?.team ?? "" : ""
        let worst = alerts.map(\.severity).max() ?? .info
        let verb = action == .trigger ? "firing" : "resolved"
        let icon = action == .resolve ? "✅" : worst == .critical ? "🚨" : worst == .warning ? "⚠️" : "ℹ️"
        let headline = "\(icon) \(alerts.count == 1 ? "Alert" : "\(alerts.count) alerts") \(verb)\(team.isEmpty ? "" : ": team \(team)")"
        var blocks: [JSONValue] = [.object([
            ("type", .string("header")),
            ("text", .object([("type", .string("plain_text")), ("text", .string(cut(headline, 150))), ("emoji", .bool(true))])),
        ])]
        for (i, alert) in shown.enumerated() {
            if i > 0 { blocks.append(.object([("type", .string("divider"))])) }
            let title = "*\(alert.severity.rawValue.uppercased())* · *\(escape(alert.title))*"
            blocks.append(.object([
                ("type", .string("section")),
                ("text", mrkdwn(cut(title + "\n" + escape(action == .resolve ? "Resolved: " + alert.message : alert.message), 3_000))),
                ("fields", .array(fields(alert).map { mrkdwn(cut("*\($0.0)*\n\(escape($0.1))", 2_000)) })),
            ]))
            let runbook = alert.labels["runbook"].map { " · runbook `\(escape($0))`" } ?? ""
            blocks.append(.object([
                ("type", .string("context")),
                ("elements", .array([mrkdwn(cut("`\(escape(alert.fingerprint))`\(runbook) · FinOps Router", 3_000))])),
            ]))
        }
        if alerts.count > shown.count {
            blocks.append(.object([("type", .string("context")),
                                   ("elements", .array([mrkdwn("…and \(alerts.count - shown.count) more (see the dashboard)")]))]))
        }
        let fallback = headline + ": " + alerts.map(\.title).joined(separator: "; ")
        return .object([("text", .string(cut(fallback, 3_000))), ("blocks", .array(blocks))])
    }

    static func fields(_ a: AlertRecord) -> [(String, String)] {
        var f: [(String, String)] = [("Severity", a.severity.rawValue)]
        if let v = a.value { f.append(("Observed", AnomalyEvidence.format(v))) }
        if let t = a.threshold { f.append(("Threshold", AnomalyEvidence.format(t))) }
        let scope = ["team", "use_case", "scope", "subject", "period"].compactMap { k in a.labels[k].map { "\(k)=\($0)" } }
        if !scope.isEmpty { f.append(("Scope", scope.joined(separator: " "))) }
        if let d = a.labels["detectors"] { f.append(("Detectors", d)) }
        if let m = a.labels["metric"] { f.append(("Metric", m)) }
        return Array(f.prefix(10))
    }

    static func mrkdwn(_ text: String) -> JSONValue { .object([("type", .string("mrkdwn")), ("text", .string(text))]) }

    /// Slack's three control characters in mrkdwn.
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    static func cut(_ s: String, _ limit: Int) -> String { s.count <= limit ? s : String(s.prefix(limit - 1)) + "…" }
}
