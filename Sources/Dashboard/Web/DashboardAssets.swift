import Foundation
import Mustache

/// The templates, stylesheet and script from `Public/`, read once at start (a missing or
/// broken template is an error then, not on a viewer's first click).
public struct DashboardAssets: Sendable {
    public static let pageTemplates = ["layout", "overview", "drift", "budgets", "providers", "strategies", "requests", "team",
                                       "message", "login"]

    public let directory: String
    let library: MustacheLibrary
    /// `/static/<name>` → (content type, bytes).
    let files: [String: (contentType: String, body: [UInt8])]

    public struct LoadError: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    public init(directory: String) throws {
        self.directory = directory
        let templates = (directory as NSString).appendingPathComponent("templates")
        library = try MustacheLibrary.loadSync(directory: templates)
        for name in Self.pageTemplates where library.getTemplate(named: name) == nil {
            throw LoadError(description: "\(templates)/\(name).mustache is missing")
        }
        var files: [String: (String, [UInt8])] = [:]
        let types = ["css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8", "svg": "image/svg+xml"]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            let ext = (name as NSString).pathExtension
            guard let type = types[ext], let data = FileManager.default.contents(atPath: (directory as NSString).appendingPathComponent(name)) else { continue }
            files[name] = (type, Array(data))
        }
        for required in ["dashboard.css", "dashboard.js"] where files[required] == nil {
            throw LoadError(description: "\(directory)/\(required) is missing")
        }
        self.files = files
    }

    func render(_ template: String, _ context: [String: Any]) -> String {
        library.render(context, withTemplate: template) ?? ""
    }

    func file(_ name: String) -> (contentType: String, body: [UInt8])? { files[name] }
}

extension MustacheLibrary {
    /// The synchronous twin of `init(directory:)` (whose async signature only wraps file reads).
    static func loadSync(directory: String) throws(DashboardAssets.LoadError) -> MustacheLibrary {
        var library = MustacheLibrary()
        let fm = FileManager.default
        for name in ((try? fm.contentsOfDirectory(atPath: directory)) ?? []).sorted() where name.hasSuffix(".mustache") {
            guard let data = fm.contents(atPath: (directory as NSString).appendingPathComponent(name)) else { continue }
            do {
                try library.register(String(decoding: data, as: UTF8.self), named: String(name.dropLast(".mustache".count)))
            } catch let error as MustacheTemplate.ParserError {
                throw DashboardAssets.LoadError(description: "template \(name) line \(error.context.lineNumber): \(error.error)")
            } catch {
                throw DashboardAssets.LoadError(description: "template \(name): \(error)")
            }
        }
        return library
    }
}
