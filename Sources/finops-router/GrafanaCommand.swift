import ArgumentParser
import Observability

struct GrafanaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grafana", abstract: "The router's Grafana dashboard.", subcommands: [Generate.self])

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write <out>/dashboards/finops-router.json and <out>/provisioning/ (data source and dashboard provider).")

        @Option(help: "Folder to write into (created if missing).")
        var out: String = "grafana"

        @Option(help: "Prometheus URL for the provisioned data source.")
        var prometheusURL: String = "http://prometheus:9090"

        func run() throws {
            guard prometheusURL.hasPrefix("http://") || prometheusURL.hasPrefix("https://"), !prometheusURL.contains(" ") else {
                throw ValidationError("--prometheus-url must be an http(s) URL")
            }
            let files = [
                try GeneratedFiles.write(GrafanaDashboard.render(), to: out + "/dashboards", name: GrafanaDashboard.fileName),
                try GeneratedFiles.write(GrafanaProvisioning.datasource(prometheusURL: prometheusURL), to: out + "/provisioning/datasources",
                                         name: "finops-router.yml"),
                try GeneratedFiles.write(GrafanaProvisioning.dashboards, to: out + "/provisioning/dashboards", name: "finops-router.yml"),
            ]
            let panels = GrafanaDashboard.rows().reduce(0) { $0 + $1.panels.count }
            print("wrote \(files.joined(separator: ", ")): \(panels) panels in \(GrafanaDashboard.rows().count) rows")
        }
    }
}
