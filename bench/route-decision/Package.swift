// swift-tools-version:6.0
// Micro-benchmark of the routing hot path (classify + plan), outside the main package so it
// builds FinOpsCore alone in release mode in seconds. Sources/FinOpsCore is a symlink to the
// real target. Run: cd bench/route-decision && swift run -c release
import PackageDescription

let package = Package(
    name: "RouteDecisionBench",
    platforms: [.macOS(.v15)],
    targets: [
        .target(name: "FinOpsCore"),
        .executableTarget(name: "RouteDecisionBench", dependencies: ["FinOpsCore"]),
    ]
)
