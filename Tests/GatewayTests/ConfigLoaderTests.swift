import FinOpsCore
import Gateway
import XCTest

final class ConfigLoaderTests: XCTestCase {
    let catalog = DefaultPricing.catalog()

    private func parse(_ yaml: String, env: [String: String] = [:]) throws -> RouterConfig {
        try ConfigLoader.parse(yaml: yaml, file: "test.yaml", environment: env, catalog: catalog)
    }

    private func assertError(_ yaml: String, line: Int?, key: String, contains text: String,
                             file: StaticString = #filePath, at: UInt = #line) {
        XCTAssertThrowsError(try parse(yaml), file: file, line: at) { error in
            guard let e = error as? ConfigError else { return XCTFail("\(error)", file: file, line: at) }
            XCTAssertEqual(e.line, line, "\(e)", file: file, line: at)
            XCTAssertEqual(e.key, key, "\(e)", file: file, line: at)
            XCTAssertTrue(e.description.contains(text), "\(e)", file: file, line: at)
        }
    }

    func testFullConfigParses() throws {
        let config = try parse("""
        server:
          host: 127.0.0.1
          port: 9090
          max_body_bytes: 1048576
        telemetry:
          sqlite_path: /tmp/x.sqlite
          batch_size: 100
        providers:
          - name: groq
            kind: openai-compatible
            base_url: https://api.groq.com/openai/v1
            api_key_env: GROQ_API_KEY
            models: [llama-3.1-8b-instant]
          - name: simulator
            kind: simulator
        simulator:
          latency_median_ms: 10
          latency_p95_ms: 50
          outages:
            - model: gpt-4o
              start_after_seconds: 60
              duration_seconds: 30
        attribution:
          default_team: platform
        aliases:
          fast: llama-3.1-8b-instant
        """)
        XCTAssertEqual(config.server.port, 9090)
        XCTAssertEqual(config.server.maxBodyBytes, 1_048_576)
        XCTAssertEqual(config.telemetry.batchSize, 100)
        XCTAssertEqual(config.providers.map(\.name), ["groq", "simulator"])
        XCTAssertEqual(config.providers[0].apiKeyEnv, "GROQ_API_KEY")
        XCTAssertEqual(config.simulator.outages, [.init(model: "gpt-4o", startAfterSeconds: 60, durationSeconds: 30)])
        XCTAssertEqual(config.defaultTeam, "platform")
        XCTAssertEqual(config.aliases["fast"], "llama-3.1-8b-instant")
    }

    func testPresetsFillBaseURLAndKeyVariable() throws {
        let config = try parse("""
        providers:
          - {name: groq, kind: groq, models: [llama-3.1-8b-instant]}
          - {name: local, kind: ollama, models: [llama3.2]}
          - {name: claude, kind: anthropic, models: [claude-sonnet-4-20250514]}
          - {name: oai, kind: openai, base_url: "http://127.0.0.1:9999/v1", models: [gpt-4o]}
        """)
        XCTAssertEqual(config.providers[0].kind, .openAICompatible)
        XCTAssertEqual(config.providers[0].baseURL, "https://api.groq.com/openai/v1")
        XCTAssertEqual(config.providers[0].apiKeyEnv, "GROQ_API_KEY")
        XCTAssertEqual(config.providers[1].baseURL, "http://127.0.0.1:11434/v1")
        XCTAssertNil(config.providers[1].apiKeyEnv)
        XCTAssertEqual(config.providers[2].kind, .anthropic)
        XCTAssertEqual(config.providers[2].apiKeyEnv, "ANTHROPIC_API_KEY")
        XCTAssertEqual(config.providers[3].baseURL, "http://127.0.0.1:9999/v1", "an explicit base_url wins")
    }

    func testUnknownKeyIsNamedWithItsLine() {
        assertError("server:\n  port: 8080\n  prot: 9\n", line: 3, key: "server.prot", contains: "test.yaml:3: server.prot: unknown key")
    }

    func testOutOfRangeAndWrongType() {
        assertError("server:\n  port: 70000\n", line: 2, key: "server.port", contains: "out of range")
        assertError("server:\n  port: eighty\n", line: 2, key: "server.port", contains: "expected an integer")
        assertError("providers: {}\n", line: 1, key: "providers", contains: "expected a list")
    }

    func testKeysInConfigAreRefused() {
        assertError("""
        providers:
          - name: openai
            kind: openai-compatible
            base_url: https://api.openai.com/v1
            api_key: sk-live-123
            models: [gpt-4o]
        """, line: 5, key: "providers[0].api_key", contains: "environment variable")
    }

    func testUnknownModelAndKindAndDuplicates() {
        assertError("""
        providers:
          - {name: a, kind: openai-compatible, base_url: "http://x", models: [gpt-17]}
        """, line: nil, key: "providers[0].models", contains: "gpt-17")
        assertError("providers:\n  - {name: a, kind: magic}\n", line: 2, key: "providers[0].kind", contains: "unknown provider kind 'magic'")
        assertError("providers:\n  - {name: a, kind: simulator}\n  - {name: a, kind: simulator}\n",
                    line: nil, key: "providers[1].name", contains: "duplicate")
        assertError("simulator:\n  latency_median_ms: 100\n  latency_p95_ms: 10\n", line: 2, key: "simulator.latency_p95_ms", contains: "at least")
    }

    func testInvalidYAML() {
        XCTAssertThrowsError(try parse("server: [1, 2\n")) { error in
            XCTAssertTrue("\(error)".contains("not valid YAML"), "\(error)")
        }
    }

    func testEmptyFileMeansEmbeddedDefaults() throws {
        let config = try parse("")
        XCTAssertEqual(config.server.port, 8080)
        XCTAssertEqual(config.providers.map(\.name), ["simulator"])
        let withOpenAI = try parse("", env: ["OPENAI_BASE_URL": "http://127.0.0.1:18080/v1"])
        XCTAssertEqual(withOpenAI.providers.map(\.name), ["openai", "simulator"])
        XCTAssertTrue(withOpenAI.providers[0].models.contains("gpt-4o-mini"))
    }

    func testShippedExampleConfigIsValid() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = root.appendingPathComponent("config/finops-router.example.yaml").path
        let config = try ConfigLoader.load(path: path, environment: [:], catalog: catalog)
        XCTAssertFalse(config.providers.isEmpty)
        let demo = try ConfigLoader.load(path: root.appendingPathComponent("config/examples/failover-demo.yaml").path,
                                         environment: [:], catalog: catalog)
        XCTAssertEqual(demo.failoverGroups.first?.chain.map(\.provider), ["sim-primary", "sim-backup"])
        XCTAssertEqual(demo.providers.first?.simulator?.outages.first?.startAfterSeconds, 20)
        XCTAssertEqual(demo.circuitBreaker.failureThreshold, 3)
    }

    func testFailoverChainMustNameKnownProvidersAndModels() {
        assertError("""
        failover:
          groups:
            - {name: g, chain: [nobody:gpt-4o]}
        """, line: nil, key: "failover.groups[0].chain[0]", contains: "no provider named 'nobody'")
        assertError("""
        failover:
          groups:
            - {name: g, chain: [gpt-4o]}
        """, line: 3, key: "failover.groups[0].chain[0]", contains: "expected provider:model")
        assertError("failover:\n  retry:\n    max_attempts_per_provider: 0\n", line: 3,
                    key: "failover.retry.max_attempts_per_provider", contains: "out of range")
    }
}
