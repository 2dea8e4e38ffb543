import FinOpsCore
import FinOpsTestSupport
import Foundation
import XCTest

/// deployments/Dockerfile against the code: the runtime stage installs exactly the libraries the
/// binary links, the builder installs their -dev packages through scripts/setup, and the image's
/// user, port, volume and health check agree with the router's defaults.
final class DockerfileTests: XCTestCase {
    /// In debian:bookworm-slim already (apt itself needs them).
    static let basePackages: Set<String> = ["libc6", "libgcc-s1", "libstdc++6"]
    /// Not linked, needed at run time: CA roots for HTTPS providers, curl for HEALTHCHECK.
    static let nonLibraryPackages: Set<String> = ["ca-certificates", "curl"]

    func testBuilderRunsScriptsSetupAndLinksTheSwiftRuntimeStatically() throws {
        let docker = try DeploymentFiles().dockerfile
        XCTAssertEqual(docker.stages.count, 2, "multi-stage: builder + runtime")
        let build = docker.stages[0]
        XCTAssertTrue(build.base.hasPrefix("swift:6.") && build.base.hasSuffix("-bookworm"), "builder image: \(build.base)")
        XCTAssertTrue(build.copies.contains { $0.sources == ["scripts/setup"] }, "the builder copies scripts/setup")
        XCTAssertTrue(build.all("RUN").contains { $0.arguments.contains("bash /tmp/setup") }, "and runs it")
        XCTAssertTrue(build.all("RUN").contains { $0.arguments.contains("swift build -c release --static-swift-stdlib --product finops-router") })
        XCTAssertEqual(docker.runtime.base, "debian:bookworm-slim")
        XCTAssertTrue(docker.runtime.copies.contains { $0.from == build.name && $0.destination == "/usr/local/bin/finops-router" })
    }

    func testRuntimePackagesAreExactlyTheLibrariesTheBinaryLinks() throws {
        let binary = Repository.routerBinary
        guard FileManager.default.isExecutableFile(atPath: binary) else { return XCTFail("\(binary) missing: swift build --build-tests") }
        let linked = try Self.linkedPackages(binary)
        XCTAssertFalse(linked.packages.isEmpty)
        XCTAssertFalse(linked.swiftRuntime.isEmpty, "the debug binary links the Swift runtime dynamically; the image links it statically")
        let wanted = linked.packages.subtracting(Self.basePackages).union(Self.nonLibraryPackages)
        let installed = Set(try DeploymentFiles().dockerfile.runtime.aptPackages)
        XCTAssertEqual(installed, wanted, "runtime apt packages; missing: \(wanted.subtracting(installed).sorted()), "
                       + "not linked: \(installed.subtracting(wanted).sorted())")

        // Each runtime library comes from a -dev package scripts/setup installs in the builder.
        let setup = try Self.setupBuildPackages()
        for package in linked.packages.subtracting(Self.basePackages) {
            let dependents = try setup.filter { dev in
                let depends = try ProcessRunner.run(["dpkg-query", "-W", "-f=${Depends}", dev])
                return depends.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix(package + " ") }
            }
            XCTAssertFalse(dependents.isEmpty, "no package in scripts/setup BUILD_PKGS depends on \(package)")
        }
    }

    func testNonRootUserDataVolumePortAndHealthcheckMatchTheRouterDefaults() throws {
        let files = try DeploymentFiles()
        let runtime = files.dockerfile.runtime
        let uid = try XCTUnwrap(files.imageUID, "USER must be a numeric uid (Kubernetes runAsNonRoot checks it)")
        XCTAssertGreaterThan(uid, 0)
        XCTAssertTrue(runtime.all("RUN").contains { $0.arguments.contains("useradd") && $0.arguments.contains("--uid \(uid)") })
        XCTAssertEqual(files.exposedPort, RouterConfig().server.port, "EXPOSE is the router's default port")

        // With no config the router writes ./finops-data/…; relative to WORKDIR that is the volume.
        let workdir = try XCTUnwrap(runtime.first("WORKDIR")?.arguments)
        let volume = try XCTUnwrap(Dockerfile.execForm(try XCTUnwrap(runtime.first("VOLUME")).arguments).first)
        let sqlite = URL(fileURLWithPath: RouterConfig().telemetry.sqlitePath, relativeTo: URL(fileURLWithPath: workdir + "/")).standardized.path
        XCTAssertEqual((sqlite as NSString).deletingLastPathComponent, volume)
        XCTAssertTrue(runtime.all("RUN").contains { $0.arguments.contains("chown finops:finops \(volume)") }, "the volume belongs to the user")

        let health = try XCTUnwrap(runtime.first("HEALTHCHECK")).arguments
        XCTAssertTrue(health.contains("curl -fsS"), health)
        XCTAssertTrue(health.contains("http://127.0.0.1:\(files.exposedPort ?? 0)/healthz"), health)
        XCTAssertEqual(Dockerfile.execForm(try XCTUnwrap(runtime.first("ENTRYPOINT")).arguments), ["/usr/local/bin/finops-router"])
        XCTAssertEqual(Dockerfile.execForm(try XCTUnwrap(runtime.first("CMD")).arguments), ["serve"])
    }

    func testEveryCopySourceExistsAndIsNotDockerignored() throws {
        let docker = try DeploymentFiles().dockerfile
        let ignored = try Repository.text(".dockerignore").split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
        for stage in docker.stages {
            for copy in stage.copies where copy.from == nil {
                for source in copy.sources {
                    XCTAssertTrue(Repository.exists(source), "COPY \(source): not in the repository")
                    XCTAssertFalse(ignored.contains { source == $0 || source.hasPrefix($0 + "/") }, "COPY \(source) is excluded by .dockerignore")
                }
            }
        }
        XCTAssertTrue(ignored.contains(".build"), "the build folder stays out of the context")
    }

    /// Debian packages owning the binary's NEEDED libraries (resolved with ldd), and the Swift
    /// runtime libraries (from the toolchain, not a package).
    static func linkedPackages(_ binary: String) throws -> (packages: Set<String>, swiftRuntime: [String]) {
        let needed = try ProcessRunner.run(["readelf", "-d", binary]).split(separator: "\n").compactMap { line -> String? in
            guard line.contains("(NEEDED)"), let open = line.firstIndex(of: "["), let close = line.lastIndex(of: "]") else { return nil }
            return String(line[line.index(after: open)..<close])
        }
        var resolved: [String: String] = [:]
        for line in try ProcessRunner.run(["ldd", binary]).split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count >= 3, parts[1] == "=>" { resolved[String(parts[0].trimmingCharacters(in: .whitespaces))] = String(parts[2]) }
        }
        var packages = Set<String>()
        var swift: [String] = []
        for soname in needed {
            if let path = resolved[soname], path.contains("/swift/") { swift.append(soname); continue }
            let owners = Set(try ProcessRunner.run(["dpkg-query", "-S", "*/\(soname)"]).split(separator: "\n")
                .compactMap { $0.split(separator: ":").first.map(String.init) })
            XCTAssertEqual(owners.count, 1, "\(soname) is owned by \(owners.sorted())")
            if let owner = owners.first { packages.insert(owner) }
        }
        return (packages, swift)
    }

    /// `BUILD_PKGS=(…)` from scripts/setup.
    static func setupBuildPackages() throws -> [String] {
        let text = try Repository.text("scripts/setup")
        guard let start = text.range(of: "BUILD_PKGS=("), let end = text[start.upperBound...].firstIndex(of: ")") else {
            XCTFail("scripts/setup has no BUILD_PKGS=(…)")
            return []
        }
        return text[start.upperBound..<end].split(whereSeparator: \.isWhitespace).map(String.init)
    }
}
