import FinOpsCore
import Foundation
import XCTest

/// Files of this repository, read by the deployment tests (never ../shared).
enum Repository {
    /// The repository root, found from this source file's location.
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: path(relative)) }

    static func text(_ relative: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        do {
            return try String(contentsOfFile: path(relative), encoding: .utf8)
        } catch {
            XCTFail("cannot read \(relative): \(error)", file: file, line: line)
            throw error
        }
    }

    static func yaml(_ relative: String) throws -> YAMLValue { try YAMLValue.parse(try text(relative)) }

    /// The pricing catalog the image ships (config/pricing.json), as the router loads it.
    static func catalog() throws -> PricingCatalog {
        try PricingCatalog.decode(json: try Data(contentsOf: root.appendingPathComponent("config/pricing.json")))
    }

    /// The `finops-router` binary `swift build --build-tests` put next to the test bundle.
    static var routerBinary: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("finops-router").path
    }
}
