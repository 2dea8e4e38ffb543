/// Natural chart sizes (SVG user units = CSS pixels) for the page grid at a 1280 px window:
/// charts shrink with their panel but never grow, so their text stays 11-12 px.
public enum ChartSize {
    /// A full-width panel.
    public static let full = (width: 1190.0, height: 260.0)
    /// Two thirds of the row (the Overview's spend chart).
    public static let wide = (width: 770.0, height: 345.0)
    /// Half a row.
    public static let half = (width: 570.0, height: 250.0)
    /// The one-third column next to a wide chart.
    public static let narrow = (width: 370.0, height: 220.0)
}

extension LineChart {
    public func sized(_ size: (width: Double, height: Double)) -> LineChart {
        var c = self
        (c.width, c.height) = size
        return c
    }
}

extension StackedAreaChart {
    public func sized(_ size: (width: Double, height: Double)) -> StackedAreaChart {
        var c = self
        (c.width, c.height) = size
        return c
    }
}

extension BarChart {
    /// Bars take the width; the height follows from the number of rows.
    public func sized(_ size: (width: Double, height: Double)) -> BarChart {
        var c = self
        c.width = size.width
        return c
    }
}
