/// A chart of one or more series against a shared x axis: lines, points, or both.
/// Used for learning curves, optimization history, learning-rate range tests and
/// robustness-versus-ε curves.
///
/// ```swift
/// var c = LineChart(title: "Loss", xLabel: "epoch", yLabel: "loss")
/// c.add(LineChart.Series(name: "train", points: [(1, 0.9), (2, 0.5)]))
/// let svg = c.render()
/// ```
public struct LineChart: Sendable {
    public enum Style: Sendable { case line, points, lineAndPoints }

    public struct Series: Sendable {
        public var name: String
        public var points: [(Double, Double)]
        public var style: Style
        /// Optional hover text per point.
        public var labels: [String]?
        public init(name: String, points: [(Double, Double)], style: Style = .line, labels: [String]? = nil) {
            self.name = name; self.points = points; self.style = style; self.labels = labels
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var logX = false
    public var logY = false
    public var width = 560.0
    public var height = 320.0
    public private(set) var series: [Series] = []

    public init(title: String, xLabel: String, yLabel: String, logX: Bool = false, logY: Bool = false) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.logX = logX; self.logY = logY
    }

    public mutating func add(_ s: Series) { series.append(s) }

    public func render() -> String {
        let left = 62.0, right = 16.0, top = 30.0, bottom = 46.0
        var svg = SVGCanvas(width: width, height: height)
        svg.text(title, x: width / 2, y: 18, size: 13, anchor: .middle, bold: true)
        let xs = series.flatMap { $0.points.map(\.0) }, ys = series.flatMap { $0.points.map(\.1) }
        let sx = Scale(values: xs, range: (left, width - right), log: logX)
        let sy = Scale(values: ys, range: (height - bottom, top), log: logY)
        Axes.draw(on: &svg, x: sx, y: sy, xLabel: xLabel, yLabel: yLabel,
                  plot: (left, top, width - right, height - bottom))
        for (i, s) in series.enumerated() {
            let color = Palette.color(i)
            let pts = s.points.filter { $0.0.isFinite && $0.1.isFinite && (!logX || $0.0 > 0) && (!logY || $0.1 > 0) }
            if s.style != .points { svg.polyline(pts.map { (sx($0.0), sy($0.1)) }, stroke: color) }
            if s.style != .line {
                for (j, p) in pts.enumerated() {
                    svg.circle(cx: sx(p.0), cy: sy(p.1), r: 3, fill: color, opacity: 0.75, title: s.labels?[safe: j])
                }
            }
        }
        if series.count > 1 { Axes.legend(on: &svg, names: series.map(\.name), x: left + 8, y: top + 6) }
        return svg.render(title: title)
    }
}

extension Array {
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}
