import Foundation

/// One vertical axis per parameter (and one for the objective); each trial is a polyline,
/// coloured by its objective value (darker = better).
///
/// ```swift
/// var p = ParallelCoordinates(title: "Trials", axes: [.init(name: "lr", log: true), .init(name: "value")])
/// p.add(values: [1e-3, 0.12], score: 0.12)
/// ```
public struct ParallelCoordinates: Sendable {
    public struct Axis: Sendable {
        public var name: String
        public var log: Bool
        /// Category names when the axis is categorical (values are indices).
        public var categories: [String]?
        public init(name: String, log: Bool = false, categories: [String]? = nil) {
            self.name = name; self.log = log; self.categories = categories
        }
    }

    public var title: String
    public var axes: [Axis]
    public var width = 720.0
    public var height = 380.0
    /// True when smaller scores are better (minimization).
    public var smallerIsBetter = true
    private var rows: [([Double], Double)] = []

    public init(title: String, axes: [Axis]) { self.title = title; self.axes = axes }

    /// Adds one trial: a value per axis (NaN where the trial lacks the parameter) and its score.
    public mutating func add(values: [Double], score: Double) {
        precondition(values.count == axes.count, "ParallelCoordinates: \(values.count) values for \(axes.count) axes")
        rows.append((values, score))
    }

    public func render() -> String {
        let left = 60.0, right = 50.0, top = 36.0, bottom = 80.0
        var svg = SVGCanvas(width: width, height: height)
        svg.text(title, x: width / 2, y: 18, size: 13, anchor: .middle, bold: true)
        let n = max(axes.count, 2)
        let xs = (0..<axes.count).map { left + (width - left - right) * Double($0) / Double(n - 1) }
        let scales = axes.enumerated().map { i, a -> Scale in
            let vals = rows.map { $0.0[i] }
            if let cats = a.categories {
                return Scale(domain: (-0.5, Double(cats.count) - 0.5), range: (height - bottom, top))
            }
            return Scale(values: vals, range: (height - bottom, top), log: a.log)
        }
        let scores = rows.map(\.1).filter(\.isFinite)
        let lo = scores.min() ?? 0, hi = scores.max() ?? 1
        for (vals, score) in rows.sorted(by: { smallerIsBetter ? $0.1 > $1.1 : $0.1 < $1.1 }) {
            var u = hi > lo ? (score - lo) / (hi - lo) : 0.5
            if smallerIsBetter { u = 1 - u }
            let pts = vals.enumerated().compactMap { i, v -> (Double, Double)? in
                v.isFinite ? (xs[i], scales[i](v)) : nil
            }
            svg.polyline(pts, stroke: Palette.sequential(0.25 + 0.75 * u), width: 1.2, opacity: 0.8)
        }
        for (i, a) in axes.enumerated() {
            svg.line(x1: xs[i], y1: top, x2: xs[i], y2: height - bottom, stroke: "#666")
            svg.text(a.name, x: xs[i] + 4, y: height - bottom + 14, size: 10, anchor: .end, rotate: -35, bold: true)
            if let cats = a.categories {
                for (k, c) in cats.enumerated() { svg.text(c, x: xs[i] + 4, y: scales[i](Double(k)) + 4, size: 9, fill: "#444") }
            } else {
                for t in scales[i].ticks(count: 4) { svg.text(Scale.label(t), x: xs[i] + 4, y: scales[i](t) + 4, size: 9, fill: "#444") }
            }
        }
        return svg.render(title: title)
    }
}
