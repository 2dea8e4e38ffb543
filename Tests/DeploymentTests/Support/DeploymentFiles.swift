import FinOpsCore
import Foundation
import Gateway
import XCTest

/// Everything under deployments/, parsed once per test: the Dockerfile, compose.yaml and its
/// router config, and the Kubernetes manifests by kind.
struct DeploymentFiles {
    let dockerfile: Dockerfile
    let compose: YAMLValue
    let kubernetes: [String: YAMLValue]   // kind → document (one of each kind)
    let kustomization: YAMLValue

    static let kubernetesDirectory = "deployments/kubernetes"
    /// Files that come from `finops-router alerts generate` / `grafana generate` (another branch);
    /// mounts of them are checked once they exist.
    static let generatedElsewhere = ["alerts/finops-router.rules.yml", "alerts/alertmanager.yml",
                                     "grafana/provisioning", "grafana/dashboards"]

    init() throws {
        dockerfile = Dockerfile(text: try Repository.text("deployments/Dockerfile"))
        compose = try Repository.yaml("deployments/compose.yaml")
        kustomization = try Repository.yaml("\(Self.kubernetesDirectory)/kustomization.yaml")
        var byKind: [String: YAMLValue] = [:]
        for file in kustomization["resources"].strings {
            for doc in try YAMLValue.parseAll(try Repository.text("\(Self.kubernetesDirectory)/\(file)")) {
                guard let kind = doc["kind"].string else { continue }
                XCTAssertNil(byKind[kind], "two \(kind) manifests; the tests expect one of each")
                byKind[kind] = doc
            }
        }
        kubernetes = byKind
    }

    func k8s(_ kind: String, file: StaticString = #filePath, line: UInt = #line) -> YAMLValue {
        guard let doc = kubernetes[kind] else {
            XCTFail("no \(kind) in \(Self.kubernetesDirectory)/kustomization.yaml resources", file: file, line: line)
            return .missing
        }
        return doc
    }

    var routerService: YAMLValue { compose["services"]["router"] }
    var podSpec: YAMLValue { k8s("Deployment")["spec"]["template"]["spec"] }
    var routerContainer: YAMLValue { podSpec["containers"].array.first { $0["name"].string == "router" } ?? .missing }

    /// The port the image says it serves (`EXPOSE`).
    var exposedPort: Int? { dockerfile.runtime.first("EXPOSE").flatMap { Int($0.arguments.split(separator: "/")[0]) } }

    /// The numeric uid of the image's `USER`.
    var imageUID: Int? { dockerfile.runtime.first("USER").flatMap { Int($0.arguments.split(separator: ":")[0]) } }

    /// `--config PATH` from a command line.
    static func configArgument(_ args: [String]) -> String? {
        guard let i = args.firstIndex(of: "--config"), i + 1 < args.count else { return nil }
        return args[i + 1]
    }

    /// Compose router: its config file in the repository (the bind mount behind `--config`).
    func composeConfigFile() -> String? {
        guard let target = Self.configArgument(routerService["command"].strings) else { return nil }
        return composeMounts(routerService).first { $0.target == target }?.source
    }

    /// Bind mounts of a compose service as (repository-relative source, container target).
    func composeMounts(_ service: YAMLValue) -> [(source: String, target: String)] {
        service["volumes"].strings.compactMap { spec in
            let parts = spec.split(separator: ":").map(String.init)
            guard parts.count >= 2, parts[0].hasPrefix(".") else { return nil }
            let root = Repository.root.standardized.path
            let source = URL(fileURLWithPath: root + "/deployments/" + parts[0]).standardized.path
            return (String(source.dropFirst(root.count + 1)), parts[1])
        }
    }

    /// Named-volume targets of a compose service.
    func composeVolumeTargets(_ service: YAMLValue) -> [String] {
        service["volumes"].strings.compactMap { spec in
            let parts = spec.split(separator: ":").map(String.init)
            return parts.count >= 2 && !parts[0].hasPrefix(".") && !parts[0].hasPrefix("/") ? parts[1] : nil
        }
    }

    /// Where a container path comes from in the repository: a compose bind mount, else a
    /// Dockerfile COPY (longest destination prefix wins).
    func repositoryPath(forContainerPath path: String, mounts: [(source: String, target: String)]) -> String? {
        let copies = dockerfile.runtime.copies.filter { $0.from == nil && $0.sources.count == 1 }.map { ($0.sources[0], $0.destination) }
        for (source, target) in (mounts.map { ($0.source, $0.target) } + copies).sorted(by: { $0.1.count > $1.1.count }) {
            if path == target { return source }
            if path.hasPrefix(target + "/") { return source + path.dropFirst(target.count) }
        }
        return nil
    }

    /// The config as the real loader reads it, with the image's catalog.
    static func loadConfig(yaml: String, file: String, environment: [String: String] = [:]) throws -> RouterConfig {
        try ConfigLoader.parse(yaml: yaml, file: file, environment: environment, catalog: try Repository.catalog())
    }
}
