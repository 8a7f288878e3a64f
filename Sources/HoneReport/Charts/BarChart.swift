/// Horizontal bars with labels, largest first: parameter importance, per-class scores.
///
/// ```swift
/// let svg = BarChart(title: "Importance", bars: [("lr", 0.7), ("width", 0.3)]).render()
/// ```
public struct BarChart: Sendable {
    public var title: String
    public var bars: [(String, Double)]
    public var width = 560.0
    public var valueFormat = "%.3f"

    public init(title: String, bars: [(String, Double)]) {
        self.title = title; self.bars = bars.sorted { $0.1 > $1.1 }
    }

    public func render() -> String {
        let rowH = 22.0, top = 30.0, labelW = 150.0, right = 60.0
        let height = top + rowH * Double(max(bars.count, 1)) + 12
        var svg = SVGCanvas(width: width, height: height)
        svg.text(title, x: width / 2, y: 18, size: 13, anchor: .middle, bold: true)
        let maxV = max(bars.map(\.1).max() ?? 1, 1e-12)
        for (i, (name, v)) in bars.enumerated() {
            let y = top + Double(i) * rowH
            let w = (width - labelW - right) * max(v, 0) / maxV
            svg.text(name, x: labelW - 8, y: y + 15, size: 11, anchor: .end)
            svg.rect(x: labelW, y: y + 3, width: w, height: rowH - 6, fill: Palette.color(0), title: "\(name): \(v)")
            svg.text(String(format: valueFormat, v), x: labelW + w + 5, y: y + 15, size: 10, fill: "#555")
        }
        return svg.render(title: title)
    }
}
