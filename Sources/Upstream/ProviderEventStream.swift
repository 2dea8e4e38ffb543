/// The loop every provider's stream decoder shares: pull upstream bytes, let the subclass turn
/// them into events (`consume`), and fail clearly when the transfer breaks or the stream ends
/// before its terminator (`[DONE]`, `message_stop`, the metadata event). Used by one consumer.
class ProviderEventStream: @unchecked Sendable {
    let provider: String
    private let terminator: String
    private var iterator: AsyncThrowingStream<[UInt8], any Error>.AsyncIterator
    /// Events decoded and not yet handed out.
    var ready: [ChatStreamEvent] = []
    /// Set by the subclass when the terminator arrives: nothing after it is read.
    var complete = false
    private var finished = false

    init(provider: String, terminator: String, upstream: AsyncThrowingStream<[UInt8], any Error>) {
        self.provider = provider
        self.terminator = terminator
        iterator = upstream.makeAsyncIterator()
    }

    /// Decodes bytes into `ready` events; throws `interrupted(...)` for an error event.
    func consume(_ bytes: [UInt8]) throws {}

    final func next() async throws -> ChatStreamEvent? {
        while ready.isEmpty {
            if finished || complete { return nil }
            let bytes: [UInt8]?
            do {
                bytes = try await iterator.next()
            } catch let error as UpstreamError {
                finished = true
                throw interrupted("broke: \(error.detail)")
            }
            guard let bytes else {
                finished = true
                if complete { return nil }
                throw interrupted("ended without \(terminator)")
            }
            do { try consume(bytes) } catch {
                finished = true
                throw error
            }
        }
        return ready.removeFirst()
    }

    final func interrupted(_ what: String) -> ProviderError {
        ProviderError(provider: provider, kind: .streamInterrupted, message: "stream from \(provider) \(what)")
    }
}
