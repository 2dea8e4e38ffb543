import FinOpsCore

/// What a page hands the renderer: its title, template and template values, the tables it
/// shows (which are also its CSV downloads) and its JSON document. Built and rendered on a
/// store-read thread; never crosses to another one (hence not Sendable: template values are `Any`).
struct PageView {
    var title: String
    var summary: String
    var template: String
    var kpis: [KPI] = []
    var charts: [String: String] = [:]
    var tables: [DataTable] = []
    var extra: [String: Any] = [:]
    var json: JSONValue

    struct KPI {
        var label: String
        var value: String
        var detail: String
        var tone: String? = nil

        var context: [String: Any] { ["label": label, "value": value, "detail": detail, "toneClass": tone.map { "tone-\($0)" } ?? ""] }
    }

    func table(_ id: String) -> DataTable? { tables.first { $0.id == id } }
}
