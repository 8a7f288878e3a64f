/// A matrix of coloured cells with optional numbers: confusion matrices, and the contour view of
/// two parameters (cells = mean objective of the trials falling in them, dots = trials).
///
/// ```swift
/// let cm = Heatmap(title: "Confusion", rowLabels: ["cat", "dog"], columnLabels: ["cat", "dog"],
///                  values: [[50, 2], [5, 43]], xLabel: "predicted", yLabel: "true")
/// ```
public struct Heatmap: Sendable {
    public var title: String
    public var rowLabels: [String]
    public var columnLabels: [String]
    /// `values[row][column]`; NaN cells are left blank.
    public var values: [[Double]]
    public var xLabel: String
    public var yLabel: String
    public var showValues = true
    public var valueFormat = "%.0f"
    /// Extra points drawn on top, in cell coordinates (column, row) with hover text.
    public var overlay: [(Double, Double, String)] = []
    /// When true, larger values are darker; otherwise smaller values are darker.
    public var largerIsDarker = true

    public init(title: String, rowLabels: [String], columnLabels: [String], values: [[Double]],
                xLabel: String, yLabel: String) {
        precondition(values.count == rowLabels.count && values.allSatisfy { $0.count == columnLabels.count },
                     "Heatmap: values must be \(rowLabels.count) × \(columnLabels.count)")
        self.title = title; self.rowLabels = rowLabels; self.columnLabels = columnLabels
        self.values = values; self.xLabel = xLabel; self.yLabel = yLabel
    }

    public func render() -> String {
        let left = 110.0, top = 30.0, bottom = 70.0
        let cell = min(44.0, 440.0 / Double(max(columnLabels.count, rowLabels.count, 1)))
        let width = left + cell * Double(columnLabels.count) + 20
        let height = top + cell * Double(rowLabels.count) + bottom
        var svg = SVGCanvas(width: max(width, 260), height: height)
        svg.text(title, x: max(width, 260) / 2, y: 18, size: 13, anchor: .middle, bold: true)
        let finite = values.flatMap { $0 }.filter(\.isFinite)
        let lo = finite.min() ?? 0, hi = finite.max() ?? 1
        for (r, row) in values.enumerated() {
            for (c, v) in row.enumerated() {
                let x = left + Double(c) * cell, y = top + Double(r) * cell
                guard v.isFinite else { svg.rect(x: x, y: y, width: cell, height: cell, fill: "#fafafa", stroke: "#eee"); continue }
                var u = hi > lo ? (v - lo) / (hi - lo) : 0.5
                if !largerIsDarker { u = 1 - u }
                svg.rect(x: x, y: y, width: cell, height: cell, fill: Palette.sequential(u), stroke: "#fff",
                         title: "\(rowLabels[r]) / \(columnLabels[c]): \(v)")
                if showValues && cell >= 22 {
                    svg.text(String(format: valueFormat, v), x: x + cell / 2, y: y + cell / 2 + 4,
                             size: min(11, cell / 3), anchor: .middle, fill: Palette.onSequential(u))
                }
            }
        }
        for (c, label) in columnLabels.enumerated() {
            let x = left + (Double(c) + 0.5) * cell, y = top + cell * Double(rowLabels.count) + 10
            svg.text(label, x: x, y: y, size: 10, anchor: .end, rotate: -45)
        }
        for (r, label) in rowLabels.enumerated() {
            svg.text(label, x: left - 6, y: top + (Double(r) + 0.5) * cell + 4, size: 10, anchor: .end)
        }
        for (cx, cy, label) in overlay {
            svg.circle(cx: left + cx * cell, cy: top + cy * cell, r: 3, fill: "#D55E00", opacity: 0.9, title: label)
        }
        svg.text(xLabel, x: left + cell * Double(columnLabels.count) / 2, y: height - 6, size: 11, anchor: .middle)
        svg.text(yLabel, x: 12, y: top + cell * Double(rowLabels.count) / 2, size: 11, anchor: .middle, rotate: -90)
        return svg.render(title: title)
    }
}
