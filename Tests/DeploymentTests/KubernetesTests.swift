import FinOpsCore
import Foundation
import Gateway
import XCTest

/// deployments/kubernetes: every manifest listed and well-formed, selectors that select, probes,
/// ports and the uid that match the image, a ConfigMap config the real loader accepts and that
/// writes only to mounted volumes, and secrets only through the Secret reference.
final class KubernetesTests: XCTestCase {
    static let secretName = "finops-router-secrets"
    static let secretKeys: Set<String> = ["OPENAI_API_KEY", "FINOPS_ADMIN_TOKEN", "FINOPS_DATABASE_URL"]

    func testKustomizationListsEveryManifestAndEachHasItsRequiredFields() throws {
        let files = try DeploymentFiles()
        let listed = Set(files.kustomization["resources"].strings)
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: Repository.path(DeploymentFiles.kubernetesDirectory))
            .filter { $0.hasSuffix(".yaml") && $0 != "kustomization.yaml" && $0 != "secret.example.yaml" }
        XCTAssertEqual(listed, Set(onDisk), "kustomization.yaml resources vs the folder")
        XCTAssertEqual(Set(files.kubernetes.keys), ["Namespace", "ConfigMap", "Deployment", "Service", "HorizontalPodAutoscaler",
                                                    "PodDisruptionBudget", "ServiceMonitor", "PrometheusRule", "CronJob"])
        for (kind, doc) in files.kubernetes {
            XCTAssertNotNil(doc["apiVersion"].string, kind)
            XCTAssertNotNil(doc["metadata"]["name"].string, kind)
        }
        XCTAssertEqual(files.k8s("Namespace")["metadata"]["name"].string, files.kustomization["namespace"].string)
        XCTAssertEqual(files.k8s("HorizontalPodAutoscaler")["apiVersion"].string, "autoscaling/v2")
        XCTAssertEqual(files.k8s("PodDisruptionBudget")["apiVersion"].string, "policy/v1")
        XCTAssertEqual(files.k8s("ServiceMonitor")["apiVersion"].string, "monitoring.coreos.com/v1")
        XCTAssertFalse(listed.contains("secret.example.yaml"), "secret values never get applied from the repository")
    }

    func testDeploymentProbesPortsResourcesAndSecurityContextMatchTheImage() throws {
        let files = try DeploymentFiles()
        let deployment = files.k8s("Deployment")
        let pod = files.podSpec
        let container = files.routerContainer
        let labels = deployment["spec"]["template"]["metadata"]["labels"]
        for (key, value) in deployment["spec"]["selector"]["matchLabels"].dictionary {
            XCTAssertEqual(labels[key].string, value.string, "pod template carries selector label \(key)")
        }
        let port = try XCTUnwrap(container["ports"].array.first { $0["name"].string == "http" })
        XCTAssertEqual(port["containerPort"].int, files.exposedPort)
        XCTAssertEqual(container["livenessProbe"]["httpGet"]["path"].string, "/healthz")
        XCTAssertEqual(container["readinessProbe"]["httpGet"]["path"].string, "/readyz")
        for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
            XCTAssertEqual(container[probe]["httpGet"]["port"].string, "http", "\(probe) uses the named port")
        }
        for kind in ["requests", "limits"] {
            for resource in ["cpu", "memory"] {
                XCTAssertNotNil(container["resources"][kind][resource].string, "\(kind).\(resource)")
            }
        }
        XCTAssertLessThanOrEqual(try Self.mebibytes(container["resources"]["requests"]["memory"].string),
                                 try Self.mebibytes(container["resources"]["limits"]["memory"].string))

        XCTAssertEqual(pod["securityContext"]["runAsNonRoot"].bool, true)
        XCTAssertEqual(pod["securityContext"]["runAsUser"].int, files.imageUID, "the image's USER")
        for c in pod["containers"].array + pod["initContainers"].array {
            XCTAssertEqual(c["securityContext"]["readOnlyRootFilesystem"].bool, true, c["name"].string ?? "")
            XCTAssertEqual(c["securityContext"]["allowPrivilegeEscalation"].bool, false)
            XCTAssertEqual(c["securityContext"]["capabilities"]["drop"].strings, ["ALL"])
        }

        // Draining: readyz turns 503 at SIGTERM, and the pod gets longer than the drain timeout.
        let config = try Self.configMapConfig(files)
        XCTAssertGreaterThan(pod["terminationGracePeriodSeconds"].int ?? 0, config.server.drainTimeoutSeconds + 5)
        XCTAssertEqual(deployment["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"].int, 0)
    }

    func testConfigMapConfigIsAcceptedByConfigLoaderAndWritesOnlyToMountedVolumes() throws {
        let files = try DeploymentFiles()
        let config = try Self.configMapConfig(files)
        let container = files.routerContainer
        let configPath = try XCTUnwrap(DeploymentFiles.configArgument(container["args"].strings))
        let volumes = files.podSpec["volumes"].array
        let configVolume = try XCTUnwrap(volumes.first { $0["configMap"]["name"].string == files.k8s("ConfigMap")["metadata"]["name"].string })
        let mount = try XCTUnwrap(container["volumeMounts"].array.first { $0["name"].string == configVolume["name"].string })
        XCTAssertEqual(configPath, (mount["mountPath"].string ?? "") + "/finops-router.yaml")

        XCTAssertEqual(config.server.port, files.exposedPort)
        XCTAssertEqual(config.spend.auth.mode, .keys)
        XCTAssertNotNil(config.spend.state.redisURL, "replicas share state through Redis")
        XCTAssertNotNil(config.telemetry.databaseURL)
        XCTAssertFalse(config.providers.contains { $0.kind == .simulator }, "production config: no simulated answers")
        XCTAssertEqual(config.providers.first?.apiKeyEnv, "OPENAI_API_KEY")

        // The root filesystem is read-only: everything the router writes must be on a volume.
        let writable = container["volumeMounts"].array.filter { $0["readOnly"].bool != true }.compactMap { $0["mountPath"].string }
        let workdir = try XCTUnwrap(files.dockerfile.runtime.first("WORKDIR")?.arguments)
        for path in [config.telemetry.effectiveSpillDirectory, (config.telemetry.sqlitePath as NSString).deletingLastPathComponent] {
            let absolute = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: workdir + "/")).standardized.path
            XCTAssertTrue(writable.contains { absolute == $0 || absolute.hasPrefix($0 + "/") }, "\(absolute) is not on a writable volume (\(writable))")
        }
        XCTAssertTrue(writable.contains("/tmp"))
        // Files the config names come with the image.
        for path in [config.pricingFile, config.policiesDirectory].compactMap({ $0 }) {
            let source = try XCTUnwrap(files.repositoryPath(forContainerPath: path, mounts: []), "\(path) is not in the image")
            XCTAssertTrue(Repository.exists(source), source)
        }
    }

    func testSecretsComeOnlyFromTheSecretReference() throws {
        let files = try DeploymentFiles()
        let pod = files.podSpec
        let cron = files.k8s("CronJob")["spec"]["jobTemplate"]["spec"]["template"]["spec"]
        var referenced = Set<String>()
        for container in files.podSpec["containers"].array + pod["initContainers"].array + cron["containers"].array {
            for env in container["env"].array {
                let name = env["name"].string ?? ""
                XCTAssertFalse(env["value"].exists, "\(name) is a literal in the manifest")
                XCTAssertEqual(env["valueFrom"]["secretKeyRef"]["name"].string, Self.secretName, name)
                XCTAssertEqual(env["valueFrom"]["secretKeyRef"]["key"].string, name)
                referenced.insert(name)
            }
        }
        XCTAssertEqual(referenced, Self.secretKeys)
        let example = try Repository.yaml("\(DeploymentFiles.kubernetesDirectory)/secret.example.yaml")
        XCTAssertEqual(example["metadata"]["name"].string, Self.secretName)
        XCTAssertEqual(Set(example["stringData"].keys), Self.secretKeys)
        let configText = try XCTUnwrap(files.k8s("ConfigMap")["data"]["finops-router.yaml"].string)
        XCTAssertFalse(configText.contains("sk-") || configText.lowercased().contains("password="))
    }

    func testServiceHPAPodDisruptionBudgetAndServiceMonitorTargetTheDeployment() throws {
        let files = try DeploymentFiles()
        let deployment = files.k8s("Deployment")
        let podLabels = deployment["spec"]["template"]["metadata"]["labels"]
        func selects(_ selector: YAMLValue, _ labels: YAMLValue) -> Bool {
            !selector.keys.isEmpty && selector.dictionary.allSatisfy { labels[$0.key].string == $0.value.string }
        }
        let service = files.k8s("Service")
        XCTAssertTrue(selects(service["spec"]["selector"], podLabels), "Service selects the pods")
        let servicePort = try XCTUnwrap(service["spec"]["ports"].array.first)
        XCTAssertEqual(servicePort["targetPort"].string, "http")
        XCTAssertEqual(servicePort["port"].int, files.exposedPort)

        let hpa = files.k8s("HorizontalPodAutoscaler")["spec"]
        XCTAssertEqual(hpa["scaleTargetRef"]["kind"].string, "Deployment")
        XCTAssertEqual(hpa["scaleTargetRef"]["name"].string, deployment["metadata"]["name"].string)
        let minReplicas = try XCTUnwrap(hpa["minReplicas"].int)
        XCTAssertLessThanOrEqual(minReplicas, hpa["maxReplicas"].int ?? 0)
        XCTAssertEqual(deployment["spec"]["replicas"].int, minReplicas)

        let pdb = files.k8s("PodDisruptionBudget")["spec"]
        XCTAssertTrue(selects(pdb["selector"]["matchLabels"], podLabels))
        XCTAssertLessThan(pdb["minAvailable"].int ?? 99, minReplicas, "a node drain can always evict one pod")

        let monitor = files.k8s("ServiceMonitor")["spec"]
        XCTAssertTrue(selects(monitor["selector"]["matchLabels"], service["metadata"]["labels"]), "ServiceMonitor selects the Service")
        XCTAssertEqual(monitor["endpoints"][0]["port"].string, servicePort["name"].string)
        XCTAssertEqual(monitor["endpoints"][0]["path"].string, "/metrics")
    }

    func testSchemaMigrationRunsBeforeServingAndRetentionRunsDaily() throws {
        let files = try DeploymentFiles()
        let migrate = try XCTUnwrap(files.podSpec["initContainers"].array.first)
        XCTAssertEqual(migrate["args"].strings.first, "migrate")
        XCTAssertEqual(migrate["image"].string, files.routerContainer["image"].string)
        XCTAssertEqual(DeploymentFiles.configArgument(migrate["args"].strings), DeploymentFiles.configArgument(files.routerContainer["args"].strings))
        let cron = files.k8s("CronJob")["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]
        XCTAssertEqual(Array(cron["args"].strings.prefix(1)), ["migrate"])
        XCTAssertTrue(cron["args"].strings.contains("--retention-months"))
    }

    static func configMapConfig(_ files: DeploymentFiles) throws -> RouterConfig {
        let text = try XCTUnwrap(files.k8s("ConfigMap")["data"]["finops-router.yaml"].string, "ConfigMap data finops-router.yaml")
        return try DeploymentFiles.loadConfig(yaml: text, file: "configmap.yaml#finops-router.yaml")
    }

    static func mebibytes(_ quantity: String?) throws -> Int {
        let q = try XCTUnwrap(quantity)
        if q.hasSuffix("Gi") { return (Int(q.dropLast(2)) ?? 0) * 1024 }
        if q.hasSuffix("Mi") { return Int(q.dropLast(2)) ?? 0 }
        XCTFail("unsupported quantity \(q)")
        return 0
    }
}
