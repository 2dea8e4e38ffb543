import FinOpsCore
import Foundation
import Gateway
import XCTest

/// deployments/compose.yaml: the six services, mounts that exist, a router config the real
/// loader accepts and that points at the compose services, Prometheus wired to the router, the
/// generated rules and Alertmanager.
final class ComposeTests: XCTestCase {
    func testServicesAndEveryBindMountSourceExist() throws {
        let files = try DeploymentFiles()
        let services = files.compose["services"]
        XCTAssertEqual(Set(services.keys), ["router", "postgres", "redis", "prometheus", "alertmanager", "grafana"])
        XCTAssertEqual(files.routerService["build"]["context"].string, "..")
        XCTAssertEqual(files.routerService["build"]["dockerfile"].string, "deployments/Dockerfile")
        var pending: [String] = []
        for name in services.keys {
            for mount in files.composeMounts(services[name]) {
                if !Repository.exists(mount.source), DeploymentFiles.generatedElsewhere.contains(mount.source) {
                    pending.append(mount.source)
                    continue
                }
                XCTAssertTrue(Repository.exists(mount.source), "\(name) mounts \(mount.source), which does not exist")
            }
            for target in files.composeVolumeTargets(services[name]) {
                let volume = services[name]["volumes"].strings.first { $0.hasSuffix(":" + target) }?.split(separator: ":").first.map(String.init) ?? ""
                XCTAssertTrue(files.compose["volumes"].keys.contains(volume), "\(name) uses undeclared volume \(volume)")
            }
            for dependency in services[name]["depends_on"].keys where services[name]["depends_on"][dependency]["condition"].string == "service_healthy" {
                XCTAssertTrue(services[dependency]["healthcheck"]["test"].exists, "\(name) waits for \(dependency) to be healthy, which has no healthcheck")
            }
        }
        if !pending.isEmpty { print("ComposeTests: not checked until they are generated: \(pending.sorted())") }
    }

    func testRouterConfigIsAcceptedByConfigLoaderAndPointsAtTheComposeServices() throws {
        let files = try DeploymentFiles()
        let path = try XCTUnwrap(files.composeConfigFile(), "router command has --config mounted from the repository")
        XCTAssertEqual(path, "deployments/config/finops-router.yaml")
        let config = try DeploymentFiles.loadConfig(yaml: try Repository.text(path), file: path)

        let postgres = files.compose["services"]["postgres"]["environment"]
        let db = try XCTUnwrap(URLComponents(string: try XCTUnwrap(config.telemetry.databaseURL)))
        XCTAssertEqual(db.host, "postgres")
        XCTAssertEqual(db.port, 5432)
        XCTAssertEqual(db.user, postgres["POSTGRES_USER"].string)
        XCTAssertEqual(db.path, "/" + (postgres["POSTGRES_DB"].string ?? ""))
        XCTAssertNil(db.password)
        let redis = try XCTUnwrap(URLComponents(string: try XCTUnwrap(config.spend.state.redisURL)))
        XCTAssertEqual(redis.host, "redis")
        XCTAssertTrue(files.compose["services"].keys.contains("redis"))

        XCTAssertEqual(config.server.port, files.exposedPort)
        XCTAssertEqual(files.routerService["ports"].strings, ["\(config.server.port):\(files.exposedPort ?? 0)"])
        let mounts = files.composeMounts(files.routerService)
        let volumes = files.composeVolumeTargets(files.routerService)
        XCTAssertTrue(volumes.contains { config.telemetry.effectiveSpillDirectory.hasPrefix($0 + "/") },
                      "spill dir \(config.telemetry.effectiveSpillDirectory) is on a volume (\(volumes))")

        // Paths the config names inside the container come from a mount or the image, and load.
        let catalog = try XCTUnwrap(files.repositoryPath(forContainerPath: try XCTUnwrap(config.pricingFile), mounts: mounts))
        XCTAssertNoThrow(try PricingCatalog.decode(json: try Data(contentsOf: Repository.root.appendingPathComponent(catalog))))
        let policies = try XCTUnwrap(files.repositoryPath(forContainerPath: try XCTUnwrap(config.policiesDirectory), mounts: mounts))
        XCTAssertEqual(policies, "config/policies")
        XCTAssertFalse(try PolicyLoader.loadDirectory(Repository.path(policies), catalog: try Repository.catalog()).teams.isEmpty)
    }

    func testSecretsReachTheRouterOnlyFromTheEnvironment() throws {
        let files = try DeploymentFiles()
        let environment = files.routerService["environment"]
        for name in ["PGPASSWORD", "FINOPS_ADMIN_TOKEN", "OPENAI_API_KEY"] {
            let value = try XCTUnwrap(environment[name].string, "\(name) is passed to the router")
            XCTAssertTrue(value.hasPrefix("${") && value.hasSuffix("}"), "\(name) comes from the caller's environment, not the file: \(value)")
        }
        let text = try Repository.text(try XCTUnwrap(files.composeConfigFile()))
        let lines = text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }
        XCTAssertFalse(lines.contains { $0.contains("password") || $0.contains("sk-") || $0.contains("api_key:") })
        // A password in the URL is refused by the loader itself.
        let leaky = text.replacingOccurrences(of: "postgres://finops@", with: "postgres://finops:hunter2@")
        XCTAssertThrowsError(try DeploymentFiles.loadConfig(yaml: leaky, file: "leaky.yaml")) { error in
            XCTAssertFalse("\(error)".contains("hunter2"), "the error must not echo the password")
        }
    }

    func testPrometheusScrapesTheRouterLoadsTheGeneratedRulesAndAlertsAlertmanager() throws {
        let files = try DeploymentFiles()
        let services = files.compose["services"]
        let prometheus = services["prometheus"]
        let mounts = files.composeMounts(prometheus)
        let configPath = try XCTUnwrap(mounts.first { $0.target == "/etc/prometheus/prometheus.yml" }?.source)
        let config = try Repository.yaml(configPath)
        let rulesTarget = try XCTUnwrap(mounts.first { $0.source == "alerts/finops-router.rules.yml" }?.target,
                                        "Prometheus mounts the generated rules file")
        XCTAssertEqual(config["rule_files"].strings, [rulesTarget])

        let job = try XCTUnwrap(config["scrape_configs"].array.first { $0["job_name"].string == "finops-router" })
        XCTAssertEqual(job["metrics_path"].string, "/metrics")
        XCTAssertEqual(job["static_configs"][0]["targets"].strings, ["router:\(files.exposedPort ?? 0)"])

        let alertmanager = services["alertmanager"]
        XCTAssertEqual(config["alerting"]["alertmanagers"][0]["static_configs"][0]["targets"].strings, ["alertmanager:9093"])
        XCTAssertTrue(alertmanager["ports"].strings.contains("9093:9093"))
        let amConfig = try XCTUnwrap(alertmanager["command"].strings.first { $0.hasPrefix("--config.file=") }).dropFirst("--config.file=".count)
        XCTAssertEqual(files.composeMounts(alertmanager).first { $0.target == String(amConfig) }?.source, "alerts/alertmanager.yml")
        XCTAssertEqual(files.composeMounts(services["grafana"]).first { $0.target == "/etc/grafana/provisioning" }?.source, "grafana/provisioning")
        // The generated dashboard provider reads the folder compose mounts the dashboards into.
        let provider = try Repository.yaml("grafana/provisioning/dashboards/finops-router.yml")
        let dashboardsPath = try XCTUnwrap(provider["providers"][0]["options"]["path"].string)
        XCTAssertEqual(files.composeMounts(services["grafana"]).first { $0.target == dashboardsPath }?.source, "grafana/dashboards")
    }

    func testTheRouterImageIsTheOneKubernetesDeploys() throws {
        let files = try DeploymentFiles()
        let image = try XCTUnwrap(files.routerService["image"].string)
        XCTAssertEqual(files.routerContainer["image"].string, image)
        let tag = files.kustomization["images"].array.first { $0["name"].string == image.split(separator: ":")[0].description }
        XCTAssertEqual(tag?["newTag"].string, String(image.split(separator: ":")[1]))
        XCTAssertEqual(String(image.split(separator: ":")[1]), FinOpsRouterVersion.current, "the image tag is the router version")
    }
}
