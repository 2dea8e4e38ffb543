import FinOpsCore

/// The HTTP steps every provider shares: run the call, classify transport errors and non-2xx
/// answers, insist on a JSON object body.
enum ProviderHTTP {
    static func execute(_ loop: CurlMultiLoop, _ request: UpstreamRequest, provider: String) async throws(ProviderError) -> UpstreamResponse {
        let response: UpstreamResponse
        do {
            response = try await loop.execute(request)
        } catch let error as UpstreamError {
            throw ProviderError.from(error, provider: provider)
        } catch {
            throw ProviderError(provider: provider, kind: .transport, message: "\(error)")
        }
        guard (200..<300).contains(response.status) else {
            throw ProviderError.fromStatus(response.status, body: response.body,
                                           retryAfter: response.head.header("retry-after"), provider: provider)
        }
        return response
    }

    /// Starts a streamed call; a non-2xx head is read (bounded) and thrown as a classified error.
    static func stream(_ loop: CurlMultiLoop, _ request: UpstreamRequest, provider: String) async throws(ProviderError) -> UpstreamStream {
        let upstream: UpstreamStream
        do {
            upstream = try await loop.stream(request)
        } catch let error as UpstreamError {
            throw ProviderError.from(error, provider: provider)
        } catch {
            throw ProviderError(provider: provider, kind: .transport, message: "\(error)")
        }
        guard (200..<300).contains(upstream.head.status) else {
            var body: [UInt8] = []
            do {
                for try await chunk in upstream.body {
                    body += chunk
                    if body.count > 64 * 1024 { break }
                }
            } catch {}
            throw ProviderError.fromStatus(upstream.head.status, body: body,
                                           retryAfter: upstream.head.header("retry-after"), provider: provider)
        }
        return upstream
    }

    static func jsonObject(_ response: UpstreamResponse, provider: String) throws(ProviderError) -> JSONValue {
        guard let json = try? JSONParser.parse(response.body), case .object = json else {
            let type = response.head.header("content-type") ?? "unknown content type"
            throw ProviderError(provider: provider, kind: .invalidResponse, upstreamStatus: response.status,
                                message: "provider \(provider) returned a body that is not JSON (\(type), \(response.body.count) bytes)")
        }
        return json
    }
}
