import Foundation

/// Small helpers every chart uses: coordinates with one decimal, escaped text, and the
/// `<svg>` wrapper with an accessible name (`role="img"`, `<title>`, `<desc>`).
enum SVGText {
    /// `12.3`, `4`, `-0.5`: short, locale-independent coordinates.
    static func num(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        let r = (v * 10).rounded() / 10
        if r == r.rounded() { return String(Int(r)) }
        return String(format: "%.1f", r)
    }

    static func escape(_ s: String) -> String { HTML.escape(s) }

    /// Opens an SVG of `width` x `height` user units that scales to its container.
    static func open(width: Double, height: Double, title: String, description: String, cssClass: String) -> String {
        "<svg class=\"chart \(cssClass)\" viewBox=\"0 0 \(num(width)) \(num(height))\" width=\"\(num(width))\" height=\"\(num(height))\" role=\"img\" "
            + "preserveAspectRatio=\"xMidYMid meet\" xmlns=\"http://www.w3.org/2000/svg\">"
            + "<title>\(escape(title))</title><desc>\(escape(description))</desc>"
    }

    static func text(_ s: String, x: Double, y: Double, anchor: String = "start", cssClass: String = "axis") -> String {
        "<text x=\"\(num(x))\" y=\"\(num(y))\" text-anchor=\"\(anchor)\" class=\"\(cssClass)\">\(escape(s))</text>"
    }

    static func line(x1: Double, y1: Double, x2: Double, y2: Double, cssClass: String) -> String {
        "<line x1=\"\(num(x1))\" y1=\"\(num(y1))\" x2=\"\(num(x2))\" y2=\"\(num(y2))\" class=\"\(cssClass)\"/>"
    }

    /// The placeholder every chart shows without data.
    static func empty(width: Double, height: Double, title: String, message: String = "No data in this range") -> String {
        open(width: width, height: height, title: title, description: message, cssClass: "empty")
            + "<rect x=\"0.5\" y=\"0.5\" width=\"\(num(width - 1))\" height=\"\(num(height - 1))\" rx=\"6\" class=\"empty-frame\"/>"
            + text(message, x: width / 2, y: height / 2 + 4, anchor: "middle", cssClass: "empty-text") + "</svg>"
    }
}
