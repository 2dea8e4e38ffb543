import Dashboard
import FinOpsCore
import Foundation
import HTTPServer
import Observability
import Storage
import Upstream

/// The HTTP surface. Health, readiness and metrics answer synchronously on the server thread
/// (cheap, no suspend); everything that waits is async.
struct Routes: Sendable {
    let chat: ChatCompletions
    let registry: ModelRegistry
    let metrics: RouterMetrics
    let writer: TelemetryWriter
    let store: any TelemetryStore
    let loop: CurlMultiLoop
    let draining: DrainFlag
    let providerNames: [String]
    let inFlight: InFlightSource
    let breakers: BreakerBoard
    let adminAuth: AdminAuth
    let reloadPolicies: @Sendable () throws -> [String]
    let admin: AdminAPI
    let dashboard: Dashboard

    func router() -> Router {
        let metrics = self.metrics
        var router = Router(fallback: { request, allowed in
            let response = Router.defaultFallback(request, allowed)
            metrics.recordRejected(reason: allowed.isEmpty ? "not_found" : "method_not_allowed", httpStatus: response.status)
            return response
        })
        let chat = self.chat
        router.add("POST", "/v1/chat/completions", .async { await chat.handle($0) })
        var messages = chat
        messages.format = AnthropicMessagesFormat()
        let anthropic = messages
        router.add("POST", "/v1/messages", .async { await anthropic.handle($0) })
        let embeddings = Embeddings(registry: chat.registry, caller: chat.caller, telemetry: chat.telemetry, metrics: metrics,
                                    logger: chat.logger, org: chat.org, defaultTeam: chat.defaultTeam, gate: chat.gate)
        router.add("POST", "/v1/embeddings", .async { await embeddings.handle($0) })
        router.add("GET", "/v1/models", .sync { _ in self.models() })
        router.add("GET", "/healthz", .sync { _ in .json(200, Array("{\"status\":\"ok\"}".utf8)) })
        router.add("GET", "/readyz", .sync { _ in self.readiness() })
        router.add("GET", "/metrics", .sync { _ in self.metricsPage() })
        registerDashboard(&router)
        let admin = self.adminAuth
        let reload = self.reloadPolicies
        router.add("POST", "/admin/reload", .sync { request in
            if let refusal = admin.check(request) { return refusal }
            do {
                let teams = try reload()
                return .json(200, JSONValue.object([("status", .string("reloaded")),
                                                    ("teams", .array(teams.map { .string($0) }))]).serialized())
            } catch {
                return .error(422, type: "invalid_request_error", code: "invalid_policy",
                              message: "Reload refused; the previous policies stay in force: \(error)")
            }
        })
        self.admin.register(&router)
        return router
    }

    private func models() -> HTTPResponse {
        let data: [JSONValue] = registry.models.map { m in
            .object([("id", .string(m.id)), ("object", .string("model")), ("created", .int(0)), ("owned_by", .string(m.provider))])
        }
        return .json(200, JSONValue.object([("object", .string("list")), ("data", .array(data))]).serialized())
    }

    private func readiness() -> HTTPResponse {
        let stats = writer.stats
        let body: JSONValue = .object([
            ("status", .string(draining.isSet ? "draining" : "ready")),
            ("providers", .array(providerNames.map { .string($0) })),
            ("telemetry", .object([("queued", .int(stats.queued)), ("written", .int(stats.written)),
                                   ("dropped", .int(stats.dropped)), ("write_errors", .int(stats.writeErrors)),
                                   ("spilled", .int(stats.spilled)), ("replayed", .int(stats.replayed)),
                                   ("spill_pending", .int(stats.spillPendingRows))])),
            ("upstream_active", .int(loop.activeTransfers)),
            ("circuits", .object(breakers.states.map { ($0.key, .string($0.state.rawValue)) })),
        ])
        return .json(draining.isSet ? 503 : 200, body.serialized())
    }

    private func metricsPage() -> HTTPResponse {
        let s = writer.stats
        metrics.inFlight.set(Double(inFlight.count))
        metrics.updateTelemetry(.init(enqueued: s.enqueued, written: s.written, dropped: s.dropped,
                                      writeErrors: s.writeErrors, batches: s.batches, spilled: s.spilled,
                                      replayed: s.replayed, duplicates: s.duplicates,
                                      spillCorruptRecords: s.spillCorruptRecords, spillErrors: s.spillErrors),
                                queueDepth: s.queued, upstreamActive: loop.activeTransfers,
                                spillPendingRows: s.spillPendingRows)
        return HTTPResponse(status: 200, headers: [("Content-Type", "text/plain; version=0.0.4; charset=utf-8")],
                            body: .bytes(metrics.exposition()))
    }
}
