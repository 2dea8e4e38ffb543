import FinOpsCore
import Foundation
import Upstream

/// One chat call the demo made through the router over loopback HTTP, as the router answered it.
struct DemoCall: Sendable {
    var status: Int
    var provider: String
    var model: String
    var cost: Money
    var savings: Money
    var routeReason: String
    var errorType: String?
    var latencyMs: Double
}

/// Sends OpenAI-style chat calls to the demo's router, as an app would, through one curl loop.
struct DemoTraffic: Sendable {
    let baseURL: String
    let loop: CurlMultiLoop
    let concurrency: Int

    struct Request: Sendable {
        var team: String
        var useCase: String?
        var model: String
        var prompt: String
        var maxTokens: Int?
    }

    func send(_ r: Request) async -> DemoCall {
        var fields: [(String, JSONValue)] = [
            ("model", .string(r.model)),
            ("messages", .array([.object([("role", .string("user")), ("content", .string(r.prompt))])])),
        ]
        if let maxTokens = r.maxTokens { fields.append(("max_tokens", .int(maxTokens))) }
        var headers: [(name: String, value: String)] = [("Content-Type", "application/json"), ("X-FinOps-Team", r.team)]
        if let useCase = r.useCase { headers.append(("X-FinOps-Use-Case", useCase)) }
        let started = ContinuousClock.now
        do {
            let response = try await loop.execute(UpstreamRequest(url: baseURL + "/v1/chat/completions", headers: headers,
                                                                  body: JSONValue.object(fields).serialized(), timeout: .seconds(30)))
            let elapsed = started.duration(to: .now)
            let ms = Double(elapsed.components.seconds) * 1_000 + Double(elapsed.components.attoseconds) / 1e15
            let h = response.head
            return DemoCall(status: response.status, provider: h.header("x-finops-provider") ?? "", model: h.header("x-finops-model") ?? "",
                            cost: h.header("x-finops-cost-usd").flatMap { Money(decimalString: $0) } ?? .zero,
                            savings: h.header("x-finops-savings-usd").flatMap { Money(decimalString: $0) } ?? .zero,
                            routeReason: h.header("x-finops-route-reason") ?? "",
                            errorType: response.status >= 400 ? (try? JSONParser.parse(response.body))?["error"]?["type"]?.stringValue : nil,
                            latencyMs: ms)
        } catch {
            return DemoCall(status: 0, provider: "", model: "", cost: .zero, savings: .zero, routeReason: "",
                            errorType: "\(error)", latencyMs: 0)
        }
    }

    /// Sends every request, `concurrency` at a time; answers come back in request order.
    func sendAll(_ requests: [Request]) async -> [DemoCall] {
        await withTaskGroup(of: (Int, DemoCall).self) { group in
            var next = 0
            var results = [DemoCall?](repeating: nil, count: requests.count)
            func add() {
                let i = next
                next += 1
                group.addTask { (i, await send(requests[i])) }
            }
            while next < min(concurrency, requests.count) { add() }
            while let (i, call) = await group.next() {
                results[i] = call
                if next < requests.count { add() }
            }
            return results.compactMap { $0 }
        }
    }

    /// GET a JSON document from the router (dashboard API, readiness).
    func json(_ path: String) async -> JSONValue? {
        guard let response = try? await loop.execute(UpstreamRequest(url: baseURL + path, method: "GET", timeout: .seconds(30))),
              response.status == 200 else { return nil }
        return try? JSONParser.parse(response.body)
    }

    func text(_ path: String) async -> String? {
        guard let response = try? await loop.execute(UpstreamRequest(url: baseURL + path, method: "GET", timeout: .seconds(30))),
              response.status == 200 else { return nil }
        return String(decoding: response.body, as: UTF8.self)
    }
}
