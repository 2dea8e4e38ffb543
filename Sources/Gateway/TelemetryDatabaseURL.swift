import Yams

/// Checks `telemetry.database_url`: a PostgreSQL URL or key=value string, with no password in
/// it (config files are committed and shared; the password goes in PGPASSWORD, ~/.pgpass, or
/// the whole URL in the FINOPS_DATABASE_URL environment variable).
enum TelemetryDatabaseURL {
    static func validated(_ url: String, node: Node, path: String, reader r: NodeReader) throws -> String {
        let isURI = url.hasPrefix("postgres://") || url.hasPrefix("postgresql://")
        guard isURI || url.contains("=") else {
            throw r.error(node, path, "expected a postgres:// URL or a libpq key=value string")
        }
        if containsPassword(url) {
            throw r.error(node, path, "passwords never go in config files; use PGPASSWORD, ~/.pgpass, or put the whole URL in FINOPS_DATABASE_URL")
        }
        return url
    }

    static func containsPassword(_ url: String) -> Bool {
        url.contains(#/://[^:/@\s]*:[^@\s]*@/#) || url.contains(#/(?i)(^|[\s?&])password\s*=/#)
    }
}
