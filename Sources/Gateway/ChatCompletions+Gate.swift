import FinOpsCore
import HTTPServer
import Logging
import Observability

extension ChatCompletions {
    /// A request the gate refused (401/403/400 guardrail/402/429/503): logged, counted, recorded
    /// as `blocked`, and answered in the endpoint's error format.
    func refuse(_ rejection: GateRejection, record: inout TelemetryRecord, started: ContinuousClock.Instant) -> HTTPResponse {
        rejection.answer(record: &record, started: started, metrics: metrics, telemetry: telemetry, logger: logger, format: format)
    }
}

extension GateRejection {
    /// Logs, counts, records and answers a request the gate refused (chat and embeddings alike).
    func answer(record: inout TelemetryRecord, started: ContinuousClock.Instant, metrics: RouterMetrics,
                telemetry: TelemetrySink, logger: Logger, format: any ResponseFormat) -> HTTPResponse {
        logger.info("request refused", metadata: ["request_id": "\(record.requestID)", "status": "\(status)", "code": "\(code)"])
        metrics.recordRejected(reason: code, httpStatus: status)
        record.status = .blocked
        record.errorKind = code
        record.httpStatus = status
        record.latencyMs = started.elapsedSeconds * 1000
        telemetry.record(record)
        return response(format, requestID: record.requestID)
    }
}

extension TelemetryRecord {
    /// Attribution from the verified identity (a virtual key pins org, team and user).
    mutating func apply(_ identity: RequestGate.Identity) {
        org = identity.org
        team = identity.team
        user = identity.user
        keyID = identity.key?.id ?? ""
    }
}
