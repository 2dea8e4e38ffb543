// swift-tools-version:6.0
// FinOps Router: a cost-aware LLM gateway. One target per layer; arrows point down only
// (see docs in ../shared/DESIGN.md mirrored in README "Architecture").
import PackageDescription

let package = Package(
    name: "FinOpsRouter",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "finops-router", targets: ["finops-router"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "5.0.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
    ],
    targets: [
        // C libraries, each behind a module map and a shim of fixed-type wrappers for variadic calls.
        .systemLibrary(name: "CMicroHTTPD", pkgConfig: "libmicrohttpd", providers: [.apt(["libmicrohttpd-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CHiredis", pkgConfig: "hiredis", providers: [.apt(["libhiredis-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

        // Pure logic, no I/O: pricing, cost math, config model and validation, telemetry record.
        .target(name: "FinOpsCore"),
        // libmicrohttpd wrapper: async handlers on suspended connections, streamed (SSE) bodies.
        .target(name: "HTTPServer", dependencies: ["CMicroHTTPD", .product(name: "Logging", package: "swift-log")]),
        // One libcurl-multi event loop and the provider adapters that speak each wire format.
        .target(name: "Upstream", dependencies: ["CCurl", "FinOpsCore", .product(name: "Logging", package: "swift-log")]),
        // Telemetry stores (SQLite, PostgreSQL) and shared-state stores (memory, Redis).
        .target(name: "Storage", dependencies: ["CSQLite", "CLibPQ", "CHiredis", "FinOpsCore", .product(name: "Logging", package: "swift-log")]),
        // Metrics registry and exposition; Prometheus rule and Grafana dashboard generation.
        .target(name: "Observability", dependencies: ["FinOpsCore", .product(name: "Prometheus", package: "swift-prometheus")]),
        // Executive dashboard: page models over rollups, inline SVG charts, Mustache templates from Public/.
        .target(name: "Dashboard", dependencies: ["Storage", "FinOpsCore", .product(name: "Mustache", package: "swift-mustache")]),
        // Alert scheduler: detectors over rollups and budgets, alert lifecycle, webhook delivery
        // (Slack, PagerDuty, signed JSON) with retries; a Service with an owner and a shutdown.
        .target(name: "Scheduler", dependencies: [
            "Storage", "FinOpsCore", "Upstream",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // The request pipeline: parse, route, call upstream, cost, headers, telemetry.
        .target(name: "Gateway", dependencies: [
            "HTTPServer", "Upstream", "Storage", "Observability", "Dashboard", "Scheduler", "FinOpsCore",
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Yams", package: "Yams"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // `finops-router demo`: a router on demo settings, seeded history, traffic that tells the story.
        .target(name: "Demo", dependencies: [
            "Gateway", "Scheduler", "Storage", "Upstream", "HTTPServer", "Dashboard", "FinOpsCore",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The binary: argument-parser commands and wiring only.
        .executableTarget(name: "finops-router", dependencies: [
            "Gateway", "FinOpsCore", "Storage", "Upstream", "Observability", "Scheduler", "Demo", "Dashboard",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // Test helpers shared by test targets: throwaway PostgreSQL servers, child processes.
        .target(name: "FinOpsTestSupport", dependencies: ["Storage"], path: "Tests/FinOpsTestSupport"),
        .testTarget(name: "FinOpsCoreTests", dependencies: ["FinOpsCore"]),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "FinOpsCore", "FinOpsTestSupport"]),
        // Runs the built finops-router binary: seed/report/export/migrate/replay, kill -9 with a spill.
        .testTarget(name: "CommandLineTests", dependencies: ["Storage", "FinOpsCore", "FinOpsTestSupport"]),
        // The scheduler against real stores and loopback webhook receivers.
        .testTarget(name: "SchedulerTests", dependencies: [
            "Scheduler", "Storage", "FinOpsCore", "Upstream", "HTTPServer", "FinOpsTestSupport",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // Formatting, charts, page models, escaping and the HTTP handler of the dashboard.
        .testTarget(name: "DashboardTests", dependencies: ["Dashboard", "Storage", "FinOpsCore"]),
        .testTarget(name: "GatewayTests", dependencies: ["Gateway", "Dashboard", "HTTPServer", "Upstream", "Storage", "FinOpsCore", "Observability", "CCurl", "CMicroHTTPD"]),
        // Generated rules, runbooks and dashboard against the committed files; metric label bounds.
        .testTarget(name: "ObservabilityTests", dependencies: ["Observability", "FinOpsCore"]),
        // deployments/ against the code: configs load, probed paths answer, image packages match the linked libraries.
        .testTarget(name: "DeploymentTests", dependencies: ["Gateway", "FinOpsCore", "FinOpsTestSupport",
                                                            .product(name: "Yams", package: "Yams"), .product(name: "Logging", package: "swift-log")]),
    ]
)
