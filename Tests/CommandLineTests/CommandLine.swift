import FinOpsTestSupport
import Foundation
import XCTest

/// The `finops-router` binary built next to the test bundle (`swift build --build-tests`).
enum FinOpsRouterBinary {
    static var path: String {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return here.appendingPathComponent("finops-router").path
    }

    /// Runs `finops-router <arguments>`; fails the test (with its output) on a non-zero exit.
    @discardableResult
    static func run(_ arguments: [String], environment: [String: String] = [:],
                    file: StaticString = #filePath, line: UInt = #line) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            XCTFail("\(path) is missing: build with `swift build --build-tests`", file: file, line: line)
            throw ProcessRunner.Failure(command: path, status: -1, output: "")
        }
        return try ProcessRunner.run([path] + arguments, environment: environment)
    }
}

/// A `finops-router serve` child process on a free loopback port, ready when /healthz answers.
final class RouterProcess {
    let port: Int
    let logPath: String
    private(set) var pid: pid_t

    init(arguments: [String], directory: String) throws {
        port = try ProcessRunner.freePort()
        logPath = directory + "/router-\(port).log"
        pid = try ProcessRunner.spawn([FinOpsRouterBinary.path, "serve", "--host", "127.0.0.1", "--port", String(port),
                                       "--log-level", "notice"] + arguments, output: logPath)
        let ready = waitFor("the router to answer /healthz (log: \(logPath))") { HTTPProbe.get(port: port, path: "/healthz")?.status == 200 }
        if !ready { kill9() }
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// A config whose simulator answers in milliseconds, so tests spend no time waiting on it.
    static func fastSimulatorConfig(in directory: String) throws -> String {
        let path = directory + "/fast-simulator.yaml"
        try """
            simulator:
              latency_median_ms: 2
              latency_p95_ms: 10
              tokens_per_second: 100000
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// `/readyz` telemetry counters.
    func telemetry() -> [String: Int] {
        guard let body = HTTPProbe.get(port: port, path: "/readyz")?.body,
              let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
              let telemetry = object["telemetry"] as? [String: Int] else { return [:] }
        return telemetry
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    func kill9() {
        guard pid > 0 else { return }
        kill(pid, SIGKILL)
        _ = ProcessRunner.wait(pid)
        pid = 0
    }

    /// SIGTERM and wait: the router drains and flushes.
    func terminate() -> Int32 {
        guard pid > 0 else { return 0 }
        kill(pid, SIGTERM)
        defer { pid = 0 }
        return ProcessRunner.wait(pid)
    }

    deinit { kill9() }
}

func waitFor(_ what: String, timeout: Duration = .seconds(60), file: StaticString = #filePath, line: UInt = #line,
             _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.02)
    }
    if try condition() { return true }
    XCTFail("timed out after \(timeout) waiting for \(what)", file: file, line: line)
    return false
}

func temporaryDirectory(_ testCase: XCTestCase) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("finops-cli-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    testCase.addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
    return path
}
