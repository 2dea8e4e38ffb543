import FinOpsCore
import FinOpsTestSupport
import Foundation
import Gateway
import Logging
import XCTest

/// Every path the deployments probe or scrape (Dockerfile HEALTHCHECK, Kubernetes liveness,
/// readiness and startup probes, ServiceMonitor, Prometheus scrape config) answers 200 on a real
/// router started from each deployment's own config file.
final class ProbeRouteTests: XCTestCase {
    func testProbedPathsAnswerOnRoutersRunningTheComposeAndKubernetesConfigs() async throws {
        let files = try DeploymentFiles()
        let paths = try Self.probedPaths(files)
        XCTAssertEqual(paths, ["/healthz", "/metrics", "/readyz"])

        let composePath = try XCTUnwrap(files.composeConfigFile())
        let configs = [
            ("compose", try DeploymentFiles.loadConfig(yaml: try Repository.text(composePath), file: composePath)),
            ("kubernetes", try KubernetesTests.configMapConfig(files)),
        ]
        for (name, loaded) in configs {
            let app = try Self.start(loaded)
            let port = Int(app.port)
            for path in paths {
                let reply = HTTPProbe.get(port: port, path: path)
                XCTAssertEqual(reply?.status, 200, "\(name): GET \(path)")
                switch path {
                case "/healthz": XCTAssertTrue(reply?.body.contains("\"ok\"") == true)
                case "/readyz": XCTAssertTrue(reply?.body.contains("\"ready\"") == true)
                default: XCTAssertTrue(reply?.body.contains("finops_router_") == true)
                }
            }
            XCTAssertEqual(HTTPProbe.get(port: port, path: "/healthz-typo")?.status, 404, "\(name): the router tells paths apart")
            await app.shutdown()
        }
    }

    /// The paths named by the manifests (not by this test).
    static func probedPaths(_ files: DeploymentFiles) throws -> Set<String> {
        var paths = Set<String>()
        let health = try XCTUnwrap(files.dockerfile.runtime.first("HEALTHCHECK")).arguments
        if let url = health.split(separator: " ").first(where: { $0.hasPrefix("http://") }), let path = URLComponents(string: String(url))?.path {
            paths.insert(path)
        }
        for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
            if let path = files.routerContainer[probe]["httpGet"]["path"].string { paths.insert(path) }
        }
        for endpoint in files.k8s("ServiceMonitor")["spec"]["endpoints"].array { if let p = endpoint["path"].string { paths.insert(p) } }
        let prometheus = try Repository.yaml("deployments/prometheus/prometheus.yml")
        for job in prometheus["scrape_configs"].array { if let p = job["metrics_path"].string { paths.insert(p) } }
        return paths
    }

    /// The deployment's config on loopback, with this test's own SQLite file and in-memory state
    /// (the PostgreSQL and Redis host names only resolve inside compose or the cluster).
    static func start(_ loaded: RouterConfig) throws -> GatewayApp {
        var config = loaded
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("finops-deploy-\(UUID().uuidString)").path
        config.server.host = "127.0.0.1"
        config.server.port = 0
        config.telemetry.databaseURL = nil
        config.telemetry.sqlitePath = dir + "/finops.sqlite"
        config.telemetry.spillDirectory = dir
        config.spend.state.redisURL = nil
        config.policiesDirectory = Repository.path("config/policies")
        var logger = Logger(label: "deployment-test")
        logger.logLevel = .error
        let app = try GatewayApp(config: config, catalog: try Repository.catalog(), environment: [:], logger: logger)
        try app.start()
        return app
    }
}
