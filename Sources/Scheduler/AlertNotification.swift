import FinOpsCore
import Foundation
import Upstream

/// The HTTP call that notifies one destination of a group of alerts (PagerDuty: of one). The
/// request carries secrets (its URL, a routing key, a signature): it is never logged.
enum AlertNotification {
    static func request(to destination: AlertDestination, alerts: [AlertRecord], action: AlertDeliveryAction, groupKey: String,
                        now: Date, timeout: Duration) -> UpstreamRequest {
        let body: [UInt8]
        var headers: [(name: String, value: String)] = [("Content-Type", "application/json"), ("User-Agent", "finops-router")]
        switch destination.kind {
        case .slack:
            body = SlackMessage.body(alerts, action: action).serialized()
        case .pagerduty:
            body = PagerDutyEvent.body(alerts[0], action: action, routingKey: destination.routingKey ?? "").serialized()
        case .webhook:
            body = WebhookEnvelope.body(alerts, action: action, groupKey: groupKey).serialized()
            let timestamp = String(Int64(now.timeIntervalSince1970.rounded(.down)))
            headers.append((WebhookSignature.timestampHeader, timestamp))
            headers.append((WebhookSignature.signatureHeader,
                            WebhookSignature.sign(body: body, timestamp: timestamp, key: destination.signingKey ?? [])))
        }
        return UpstreamRequest(url: destination.url, method: "POST", headers: headers, body: body, timeout: timeout,
                               connectTimeout: min(timeout, .seconds(5)))
    }
}
