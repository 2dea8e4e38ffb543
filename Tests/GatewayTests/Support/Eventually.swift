import XCTest

/// Waits until `condition` holds, polling every 10 ms, failing after `timeout`. For state that
/// another thread reaches (telemetry written, a loop's next pass), never to time anything.
func eventually(_ what: String, timeout: Duration = .seconds(15), file: StaticString = #filePath, line: UInt = #line,
                _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    XCTFail("timed out waiting for \(what)", file: file, line: line)
}
