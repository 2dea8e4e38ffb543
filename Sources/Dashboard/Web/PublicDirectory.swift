import Foundation

/// Finds the `Public/` folder (templates, CSS, JS) at run time (ADR 0035). First match wins:
/// 1. `dashboard.public_dir` from the config file, 2. `FINOPS_PUBLIC_DIR`, 3. next to the
/// executable (`<bin>/Public`, `<bin>/../share/finops-router/Public`), 4. the nearest ancestor of
/// the executable's folder holding `Public/` (a SwiftPM build, the test bundle),
/// 5. `./Public`, 6. `/usr/share/finops-router/Public` (the container image's copy).
/// A folder counts only when it holds `templates/layout.mustache`.
public enum PublicDirectory {
    public static let marker = "templates/layout.mustache"
    public static let installed = "/usr/share/finops-router/Public"

    public struct NotFound: Error, CustomStringConvertible {
        public var searched: [String]
        /// Set when an explicitly configured folder is unusable (a configuration error).
        public var configured: String?
        public var description: String {
            if let configured { return "dashboard.public_dir \(configured) has no \(PublicDirectory.marker)" }
            return "dashboard templates not found (looked for \(PublicDirectory.marker) in \(searched.joined(separator: ", "))); "
                + "set dashboard.public_dir or FINOPS_PUBLIC_DIR"
        }
    }

    /// The candidates in search order, for `configured`, the environment and the executable.
    public static func candidates(configured: String?, environment: [String: String], executable: String?,
                                  workingDirectory: String) -> [String] {
        var list: [String] = []
        if let env = environment["FINOPS_PUBLIC_DIR"], !env.isEmpty { list.append(env) }
        if let executable {
            let bin = (executable as NSString).deletingLastPathComponent
            list.append(bin + "/Public")
            list.append(((bin as NSString).deletingLastPathComponent as NSString).appendingPathComponent("share/finops-router/Public"))
            var dir = bin
            for _ in 0..<8 {
                let parent = (dir as NSString).deletingLastPathComponent
                guard parent != dir, !parent.isEmpty else { break }
                dir = parent
                list.append(dir + "/Public")
            }
        }
        list.append((workingDirectory as NSString).appendingPathComponent("Public"))
        list.append(installed)
        return list
    }

    /// The folder to use, or `NotFound` listing where it looked.
    public static func locate(configured: String?, environment: [String: String],
                              executable: String? = currentExecutable(),
                              workingDirectory: String = FileManager.default.currentDirectoryPath) throws(NotFound) -> String {
        let fm = FileManager.default
        if let configured, !configured.isEmpty {
            guard fm.fileExists(atPath: (configured as NSString).appendingPathComponent(marker)) else {
                throw NotFound(searched: [configured], configured: configured)
            }
            return configured
        }
        let list = candidates(configured: nil, environment: environment, executable: executable, workingDirectory: workingDirectory)
        for dir in list where fm.fileExists(atPath: (dir as NSString).appendingPathComponent(marker)) {
            return (dir as NSString).standardizingPath
        }
        throw NotFound(searched: list, configured: nil)
    }

    /// This process's executable, symlinks resolved (`/proc/self/exe` on Linux).
    public static func currentExecutable() -> String? {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        return Bundle.main.executablePath
    }
}
