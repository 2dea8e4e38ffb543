import FinOpsCore
import Yams

/// The `dashboard` section: `public_dir`, `refresh_seconds`.
extension ConfigLoader {
    static func readDashboard(_ r: NodeReader, _ node: Node, _ path: String, _ d: inout DashboardSettings) throws {
        try r.object(node, path) { k, v, p in
            switch k {
            case "public_dir": d.publicDirectory = try r.string(v, p)
            case "refresh_seconds": d.refreshSeconds = try r.int(v, p, 0...86_400)
            default: throw r.unknown(v, p)
            }
        }
    }
}
