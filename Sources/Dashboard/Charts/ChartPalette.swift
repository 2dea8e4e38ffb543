/// Okabe-Ito colours: distinguishable with every common form of colour blindness. Series take
/// them in this order; yellow comes last (weak on white) and grey stands for "other".
public enum ChartPalette {
    public static let series = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#B8A200"]
    public static let other = "#8C8C8C"
    public static let ink = "#1B1F24"
    public static let muted = "#57606A"
    public static let grid = "#D8DEE4"
    public static let baseline = "#57606A"

    public static func color(_ index: Int) -> String { series[((index % series.count) + series.count) % series.count] }

    /// Severity colours (vermillion, orange, blue), always paired with a shape in charts.
    public static func severity(_ name: String) -> String {
        switch name {
        case "critical": "#D55E00"
        case "warning": "#E69F00"
        default: "#0072B2"
        }
    }
}
