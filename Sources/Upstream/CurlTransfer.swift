import CCurl

/// One libcurl easy handle and everything it needs to stay alive until the transfer ends.
/// Touched only on the loop thread, except `init`, which runs before the handle is handed over.
final class CurlTransfer: @unchecked Sendable {
    enum Delivery {
        case buffered(CheckedContinuation<UpstreamResponse, any Error>)
        case streaming(head: CheckedContinuation<UpstreamStream, any Error>?, body: AsyncThrowingStream<[UInt8], any Error>.Continuation?)
    }

    let easy: UnsafeMutableRawPointer
    private let pool: CurlHandlePool
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let bodyBuffer: UnsafeMutableRawBufferPointer
    var delivery: Delivery?
    var responseHeaders: [(name: String, value: String)] = []
    var responseBody: [UInt8] = []
    var stream: AsyncThrowingStream<[UInt8], any Error>?
    /// Streams: the response head must arrive by then (curl's own timeout would cut long streams).
    var headDeadline: ContinuousClock.Instant?

    init?(request: UpstreamRequest, streaming: Bool, pool: CurlHandlePool) {
        guard let easy = pool.take() else { return nil }
        self.easy = easy
        self.pool = pool
        bodyBuffer = .allocate(byteCount: max(1, request.body.count), alignment: 1)
        request.body.withUnsafeBytes { src in
            if let base = src.baseAddress { bodyBuffer.baseAddress!.copyMemory(from: base, byteCount: src.count) }
        }

        finops_easy_setopt_str(easy, CURLOPT_URL, request.url)
        finops_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        finops_easy_setopt_long(easy, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS))
        finops_easy_setopt_long(easy, CURLOPT_TCP_NODELAY, 1)
        finops_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, request.connectTimeout.milliseconds)
        if streaming {
            headDeadline = ContinuousClock.now.advanced(by: request.timeout)
            // A stream may legitimately run for minutes; fail it on silence instead.
            finops_easy_setopt_long(easy, CURLOPT_LOW_SPEED_LIMIT, 1)
            finops_easy_setopt_long(easy, CURLOPT_LOW_SPEED_TIME, max(1, request.idleTimeout.milliseconds / 1000))
        } else {
            finops_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, request.timeout.milliseconds)
        }
        if request.method == "POST" {
            finops_easy_setopt_long(easy, CURLOPT_POST, 1)
            finops_easy_setopt_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count))
            finops_easy_setopt_ptr(easy, CURLOPT_POSTFIELDS, bodyBuffer.baseAddress)
        } else if request.method == "HEAD" {
            // A HEAD answer has headers only; with CUSTOMREQUEST curl would wait for the body.
            finops_easy_setopt_long(easy, CURLOPT_NOBODY, 1)
        } else if request.method != "GET" {
            finops_easy_setopt_str(easy, CURLOPT_CUSTOMREQUEST, request.method)
        }
        var list: UnsafeMutablePointer<curl_slist>?
        if let aws = request.awsSigning {
            finops_easy_setopt_str(easy, CURLOPT_AWS_SIGV4, aws.curlProvider)
            finops_easy_setopt_str(easy, CURLOPT_USERNAME, aws.accessKeyID)
            finops_easy_setopt_str(easy, CURLOPT_PASSWORD, aws.secretAccessKey)
            if let token = aws.sessionToken { list = curl_slist_append(list, "x-amz-security-token: \(token)") }
        }
        for (name, value) in request.headers {
            list = curl_slist_append(list, "\(name): \(value)")
        }
        // No "Expect: 100-continue" round trip for bodies over 1 KiB.
        list = curl_slist_append(list, "Expect:")
        headerList = list
        finops_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, list)
        finops_easy_setopt_cb(easy, CURLOPT_WRITEFUNCTION, curlWriteThunk)
        finops_easy_setopt_cb(easy, CURLOPT_HEADERFUNCTION, curlHeaderThunk)
        let me = Unmanaged.passUnretained(self).toOpaque()
        finops_easy_setopt_ptr(easy, CURLOPT_WRITEDATA, me)
        finops_easy_setopt_ptr(easy, CURLOPT_HEADERDATA, me)
        finops_easy_setopt_ptr(easy, CURLOPT_PRIVATE, me)
    }

    deinit {
        pool.give(easy)
        curl_slist_free_all(headerList)
        bodyBuffer.deallocate()
    }

    var status: Int {
        var code = 0
        finops_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    var head: UpstreamResponseHead { UpstreamResponseHead(status: status, headers: responseHeaders) }

    /// Body bytes from curl: buffered, or handed to the stream (after the head).
    func receive(_ bytes: UnsafeBufferPointer<UInt8>) {
        switch delivery {
        case .streaming(let headCont, let body):
            if let headCont {
                deliverHead(headCont, body)
            }
            if case .streaming(_, let body?) = delivery {
                body.yield(Array(bytes))
            }
        default:
            responseBody.append(contentsOf: bytes)
        }
    }

    /// One raw header line from curl ("Name: value\r\n" or a status line). Parsed on bytes: this
    /// runs for every header of every upstream response.
    func receiveHeaderLine(_ line: UnsafeBufferPointer<UInt8>) {
        if line.count >= 5, line[0] == UInt8(ascii: "H"), line[1] == UInt8(ascii: "T"), line[2] == UInt8(ascii: "T"),
           line[3] == UInt8(ascii: "P"), line[4] == UInt8(ascii: "/") {
            responseHeaders.removeAll()  // a new response (after 100-continue or a redirect)
            return
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0 else { return }
        var nameBytes = Array(line[0..<colon])
        for i in nameBytes.indices where nameBytes[i] >= 65 && nameBytes[i] <= 90 { nameBytes[i] += 32 }
        var start = colon + 1
        var end = line.count
        while start < end, line[start] == 0x20 || line[start] == 0x09 { start += 1 }
        while end > start, line[end - 1] == 0x20 || line[end - 1] == 0x09 || line[end - 1] == 0x0D || line[end - 1] == 0x0A { end -= 1 }
        responseHeaders.append((String(decoding: nameBytes, as: UTF8.self),
                                String(decoding: UnsafeBufferPointer(rebasing: line[start..<end]), as: UTF8.self)))
    }

    private func deliverHead(_ headCont: CheckedContinuation<UpstreamStream, any Error>,
                             _ body: AsyncThrowingStream<[UInt8], any Error>.Continuation?) {
        delivery = .streaming(head: nil, body: body)
        headDeadline = nil
        headCont.resume(returning: UpstreamStream(head: head, body: stream!))
    }

    /// The transfer ended (success or error): resume whoever waits.
    func complete(_ result: CURLcode) {
        let error: UpstreamError? = result == CURLE_OK ? nil : UpstreamError.fromCurl(result)
        switch delivery {
        case .buffered(let cont):
            if let error { cont.resume(throwing: error) } else {
                cont.resume(returning: UpstreamResponse(head: head, body: responseBody))
            }
        case .streaming(let headCont, let body):
            if let headCont {
                if let error {
                    headCont.resume(throwing: error)
                    body?.finish(throwing: error)
                } else {
                    deliverHead(headCont, body)
                    body?.finish()
                }
            } else if let error {
                body?.finish(throwing: error)
            } else {
                body?.finish()
            }
        case nil:
            break
        }
        delivery = nil
    }

    func fail(_ error: UpstreamError) {
        switch delivery {
        case .buffered(let cont): cont.resume(throwing: error)
        case .streaming(let headCont, let body):
            headCont?.resume(throwing: error)
            body?.finish(throwing: error)
        case nil: break
        }
        delivery = nil
    }
}

extension UpstreamError {
    static func fromCurl(_ code: CURLcode) -> UpstreamError {
        let text = String(cString: curl_easy_strerror(code))
        switch code {
        case CURLE_OPERATION_TIMEDOUT: return UpstreamError(.timeout, text)
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_SSL_CONNECT_ERROR:
            return UpstreamError(.connect, text)
        default: return UpstreamError(.transport, text)
        }
    }
}

extension Duration {
    var milliseconds: Int {
        let (s, atto) = components
        return Int(s) * 1000 + Int(atto / 1_000_000_000_000_000)
    }
}

private let curlWriteThunk: finops_curl_data_cb = { ptr, size, nmemb, userdata in
    let count = size * nmemb
    guard let userdata else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    if let ptr, count > 0 {
        ptr.withMemoryRebound(to: UInt8.self, capacity: count) {
            transfer.receive(UnsafeBufferPointer(start: $0, count: count))
        }
    }
    return count
}

private let curlHeaderThunk: finops_curl_data_cb = { ptr, size, nmemb, userdata in
    let count = size * nmemb
    guard let userdata, let ptr else { return count }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
    ptr.withMemoryRebound(to: UInt8.self, capacity: count) {
        transfer.receiveHeaderLine(UnsafeBufferPointer(start: $0, count: count))
    }
    return count
}
