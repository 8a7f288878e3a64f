/// Axis lines, ticks, grid lines, axis titles and legends shared by the charts.
enum Axes {
    static func draw(on svg: inout SVGCanvas, x: Scale, y: Scale, xLabel: String, yLabel: String,
                     plot: (Double, Double, Double, Double)) {
        let (l, t, r, b) = plot
        for v in y.ticks() {
            let py = y(v)
            svg.line(x1: l, y1: py, x2: r, y2: py, stroke: "#e5e5e5")
            svg.text(Scale.label(v), x: l - 6, y: py + 4, size: 10, anchor: .end, fill: "#555")
        }
        for v in x.ticks() {
            let px = x(v)
            svg.line(x1: px, y1: t, x2: px, y2: b, stroke: "#f0f0f0")
            svg.text(Scale.label(v), x: px, y: b + 15, size: 10, anchor: .middle, fill: "#555")
        }
        svg.line(x1: l, y1: b, x2: r, y2: b, stroke: "#888")
        svg.line(x1: l, y1: t, x2: l, y2: b, stroke: "#888")
        svg.text(xLabel, x: (l + r) / 2, y: b + 34, size: 11, anchor: .middle)
        svg.text(yLabel, x: 14, y: (t + b) / 2, size: 11, anchor: .middle, rotate: -90)
    }

    static func legend(on svg: inout SVGCanvas, names: [String], x: Double, y: Double) {
        for (i, name) in names.enumerated() {
            let yy = y + Double(i) * 15
            svg.rect(x: x, y: yy, width: 10, height: 10, fill: Palette.color(i))
            svg.text(name, x: x + 14, y: yy + 9, size: 10)
        }
    }
}
