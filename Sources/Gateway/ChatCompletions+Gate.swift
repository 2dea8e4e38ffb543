import FinOpsCore
import HTTPServer

extension ChatCompletions {
    /// A request the gate refused (401/403/400 guardrail/402/429/503): logged, counted, recorded
    /// as `blocked`, and answered in the endpoint's error format.
    func refuse(_ rejection: GateRejection, record: inout TelemetryRecord, started: ContinuousClock.Instant) -> HTTPResponse {
        logger.info("request refused", metadata: ["request_id": "\(record.requestID)", "status": "\(rejection.status)", "code": "\(rejection.code)"])
        metrics.recordRejected(reason: rejection.code, httpStatus: rejection.status)
        record.status = .blocked
        record.errorKind = rejection.code
        record.httpStatus = rejection.status
        record.latencyMs = started.elapsedSeconds * 1000
        telemetry.record(record)
        return rejection.response(format, requestID: record.requestID)
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
