import FinOpsCore
import Yams

/// `notifications:`: destinations (their secrets named by environment variables, which must be
/// set) and routes by severity.
extension ConfigLoader {
    static func readNotifications(_ r: NodeReader, _ node: Node, _ path: String, _ s: inout NotificationSettings,
                                  environment: [String: String]) throws {
        try r.object(node, path) { k, n, kp in
            switch k {
            case "timeout_ms": s.timeoutMs = try r.int(n, kp, 100...120_000)
            case "max_attempts": s.maxAttempts = try r.int(n, kp, 1...100)
            case "retry_base_seconds": s.retryBaseSeconds = try r.double(n, kp, 0.1...86_400)
            case "retry_max_seconds": s.retryMaxSeconds = try r.double(n, kp, 0.1...604_800)
            case "send_resolved": s.sendResolved = try r.bool(n, kp)
            case "destinations":
                s.destinations = try r.list(n, kp) { item, ip in try readDestination(r, item, ip, environment: environment) }
                var seen = Set<String>()
                for (i, d) in s.destinations.enumerated() where !seen.insert(d.name).inserted {
                    throw r.error(n, "\(kp)[\(i)].name", "duplicate destination name '\(d.name)'")
                }
            case "routes":
                try r.object(n, kp) { severity, rn, rp in
                    guard let level = AlertSeverity(rawValue: severity) else {
                        throw r.error(rn, rp, "unknown severity; expected critical, warning or info")
                    }
                    s.routes[level] = try r.list(rn, rp) { item, ip in try r.string(item, ip) }
                }
            default: throw r.unknown(n, kp)
            }
        }
        if s.retryMaxSeconds < s.retryBaseSeconds {
            throw r.error(node, path + ".retry_max_seconds", "must be at least retry_base_seconds")
        }
    }

    private static func readDestination(_ r: NodeReader, _ node: Node, _ path: String,
                                        environment: [String: String]) throws -> NotificationSettings.Destination {
        var name: String?, kind: AlertDestinationKind?
        var d = NotificationSettings.Destination(name: "", kind: .webhook)
        var nodes: [String: Node] = [:]
        try r.object(node, path) { k, n, kp in
            nodes[k] = n
            switch k {
            case "name": name = try r.string(n, kp)
            case "kind": kind = try r.enumValue(n, kp, AlertDestinationKind.self)
            case "url_env": d.urlEnv = try r.string(n, kp)
            case "routing_key_env": d.routingKeyEnv = try r.string(n, kp)
            case "secret_env": d.secretEnv = try r.string(n, kp)
            case "url": d.url = try r.string(n, kp)
            case "routing_key", "secret":
                throw r.error(n, kp, "secrets never go in config files; put it in an environment variable and name it with \(k)_env")
            default: throw r.unknown(n, kp)
            }
        }
        guard let name, !name.isEmpty else { throw r.error(node, path + ".name", "every destination needs a name") }
        guard let kind else { throw r.error(node, path + ".kind", "every destination needs a kind (slack, pagerduty, webhook)") }
        d.name = name
        d.kind = kind
        func needs(_ key: String, _ value: String?) throws {
            guard value != nil else { throw r.error(node, "\(path).\(key)", "a \(kind.rawValue) destination needs \(key)") }
        }
        func refuses(_ key: String, _ reason: String) throws {
            if let n = nodes[key] { throw r.error(n, "\(path).\(key)", reason) }
        }
        switch kind {
        case .slack:
            try refuses("url", "a Slack webhook URL is a secret: put it in an environment variable and name it with url_env")
            try needs("url_env", d.urlEnv)
            try refuses("routing_key_env", "routing_key_env is for pagerduty destinations")
            try refuses("secret_env", "secret_env is for webhook destinations")
        case .webhook:
            try refuses("url", "a webhook URL may carry a token: put it in an environment variable and name it with url_env")
            try needs("url_env", d.urlEnv)
            try needs("secret_env", d.secretEnv)
            try refuses("routing_key_env", "routing_key_env is for pagerduty destinations")
        case .pagerduty:
            try needs("routing_key_env", d.routingKeyEnv)
            try refuses("secret_env", "secret_env is for webhook destinations")
            if let url = d.url, !(url.hasPrefix("https://") || url.hasPrefix("http://")) {
                throw r.error(nodes["url"]!, path + ".url", "expected an http(s) URL")
            }
        }
        for key in ["url_env", "routing_key_env", "secret_env"] {
            guard let n = nodes[key], let variable = n.scalar?.string else { continue }
            guard let value = environment[variable], !value.isEmpty else {
                throw r.error(n, "\(path).\(key)", "environment variable \(variable) is not set")
            }
            if key == "url_env" && !(value.hasPrefix("https://") || value.hasPrefix("http://")) {
                throw r.error(n, "\(path).\(key)", "environment variable \(variable) does not hold an http(s) URL")
            }
        }
        return d
    }
}
