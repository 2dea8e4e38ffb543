/// `dashboard:` in the config file.
public struct DashboardSettings: Sendable, Equatable {
    /// The `Public/` folder (templates, CSS, JS); nil = search the usual places (ADR 0035):
    /// `FINOPS_PUBLIC_DIR`, next to the binary, its ancestors, `./Public`,
    /// `/usr/share/finops-router/Public`.
    public var publicDirectory: String?
    /// Pages reload themselves this often while visible (0 = never).
    public var refreshSeconds = 60

    public init() {}
}
