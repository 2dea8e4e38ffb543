import FinOpsCore

/// A table as every view shows it: the HTML `<table>` (caption, `<th scope>` headers, numeric
/// columns right-aligned), the CSV download (raw values, not the rounded display text) and the
/// empty state all come from this one value, so they cannot disagree.
public struct DataTable: Sendable {
    public struct Column: Sendable {
        public var title: String
        public var numeric: Bool
        public init(_ title: String, numeric: Bool = false) { self.title = title; self.numeric = numeric }
    }

    public struct Cell: Sendable {
        /// What the page shows (escaped when rendered).
        public var text: String
        /// What the CSV holds (exact numbers, ISO times).
        public var raw: String
        /// A link target (already a safe relative URL; escaped when rendered).
        public var href: String?
        /// Trusted markup (a sparkline or bar this code rendered) shown instead of `text`.
        public var svg: String?
        /// Extra CSS class (`tone-critical`, `delta-up`).
        public var tone: String?

        public init(_ text: String, raw: String? = nil, href: String? = nil, svg: String? = nil, tone: String? = nil) {
            self.text = text; self.raw = raw ?? text; self.href = href; self.svg = svg; self.tone = tone
        }

        public static func money(_ m: Money) -> Cell { Cell(DisplayFormat.money(m), raw: m.decimalString) }
        public static func usd(_ v: Double?) -> Cell {
            guard let v else { return Cell("—", raw: "") }
            return Cell(DisplayFormat.usd(v), raw: CSVNumber.text(v))
        }
        public static func count(_ n: Int) -> Cell { Cell(DisplayFormat.grouped(n), raw: String(n)) }
        public static func percent(_ f: Double?) -> Cell {
            guard let f, f.isFinite else { return Cell("—", raw: "") }
            return Cell(DisplayFormat.percent(f), raw: CSVNumber.text(f))
        }
        public static func change(_ f: Double?) -> Cell {
            guard let f, f.isFinite else { return Cell("—", raw: "") }
            return Cell(DisplayFormat.change(f), raw: CSVNumber.text(f), tone: f > 0.2 ? "delta-up" : f < -0.2 ? "delta-down" : nil)
        }
        public static func ms(_ v: Double?) -> Cell {
            guard let v, v.isFinite else { return Cell("—", raw: "") }
            return Cell(DisplayFormat.duration(ms: v), raw: CSVNumber.text(v))
        }
    }

    /// Names the CSV (`table=teams`) and the HTML id.
    public var id: String
    public var caption: String
    public var columns: [Column]
    public var rows: [[Cell]]
    public var emptyMessage: String

    public init(id: String, caption: String, columns: [Column], rows: [[Cell]], emptyMessage: String = "No data in this range") {
        self.id = id; self.caption = caption; self.columns = columns; self.rows = rows; self.emptyMessage = emptyMessage
    }

    /// RFC 4180 CSV of the raw values; every cell goes through `CSVField.escape`, which quotes
    /// separators and defuses spreadsheet formulas (`=`, `+`, `-`, `@`) in names from clients.
    public var csv: String {
        var out = columns.map { CSVField.escape($0.title) }.joined(separator: ",") + "\r\n"
        for row in rows { out += row.map { CSVField.escape($0.raw) }.joined(separator: ",") + "\r\n" }
        return out
    }
}

/// Numbers in CSV and JSON: plain decimal text without exponent or locale (`0.000123`, `41.5`).
enum CSVNumber {
    static func text(_ v: Double) -> String {
        guard v.isFinite else { return "" }
        if v == v.rounded() && abs(v) < 1e15 { return String(Int(v)) }
        return DisplayFormat.trimmed(String(format: "%.9f", v))
    }
}
