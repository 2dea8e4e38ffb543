import Dashboard
import FinOpsCore
import Foundation
import Logging
import Storage

/// Builds the dashboard for the running gateway: finds `Public/` (ADR 0035), loads its
/// templates once, and reads the viewer token from `FINOPS_VIEWER_TOKEN`.
enum DashboardAssembly {
    /// An explicitly configured `dashboard.public_dir` that does not hold the templates is a
    /// configuration error (thrown); templates merely not found elsewhere leave the HTML pages
    /// answering 503 with the reason, the JSON views working, and an error in the log.
    static func make(config: RouterConfig, store: any TelemetryStore, budgets: any BudgetStatusSource,
                     environment: [String: String], logger: Logger) throws -> Dashboard {
        let assets: Result<DashboardAssets, DashboardAssets.LoadError>
        do {
            let directory = try PublicDirectory.locate(configured: config.dashboard.publicDirectory, environment: environment)
            assets = .success(try DashboardAssets(directory: directory))
        } catch let error as PublicDirectory.NotFound where error.configured != nil {
            throw ConfigError(file: "config", line: nil, key: "dashboard.public_dir", reason: error.description)
        } catch let error as DashboardAssets.LoadError where config.dashboard.publicDirectory != nil {
            throw ConfigError(file: "config", line: nil, key: "dashboard.public_dir", reason: error.description)
        } catch {
            logger.error("dashboard pages disabled", metadata: ["reason": "\(error)"])
            assets = .failure(DashboardAssets.LoadError(description: "\(error)"))
        }
        let token = environment["FINOPS_VIEWER_TOKEN"]
        if let token, !token.isEmpty, token.utf8.count < 16 {
            logger.warning("FINOPS_VIEWER_TOKEN is shorter than 16 characters; use a long random token")
        }
        return Dashboard(store: store, budgets: budgets,
                         settings: .init(org: config.org, version: FinOpsRouterVersion.current, refreshSeconds: config.dashboard.refreshSeconds),
                         viewerToken: token, assets: assets, logger: logger)
    }
}
