import ArgumentParser
import Foundation
import Observability

struct AlertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts", abstract: "Prometheus alert rules for the router.",
        subcommands: [Generate.self])

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write <out>/finops-router.rules.yml (recording rules and alerts) from the config's alert_rules section.")

        @OptionGroup var options: ConfigOptions

        @Option(help: "Folder to write into (created if missing).")
        var out: String = "alerts"

        func run() throws {
            let (config, _) = try options.load()
            let path = try GeneratedFiles.write(AlertRuleFile.render(config.alertRules), to: out, name: AlertRuleFile.fileName)
            let groups = AlertRuleFile.groups(config.alertRules)
            let rules = groups.flatMap(\.rules)
            print("wrote \(path): \(rules.filter { !$0.isAlert }.count) recording rules, \(rules.filter(\.isAlert).count) alerting rules "
                  + "(\(Set(rules.filter(\.isAlert).map(\.name)).count) alerts)")
        }
    }
}

/// Writes generated files atomically, creating folders as needed.
enum GeneratedFiles {
    static func write(_ text: String, to folder: String, name: String) throws -> String {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = (folder as NSString).appendingPathComponent(name)
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ValidationError("cannot write \(path): \(error.localizedDescription)")
        }
        return path
    }
}
