import Foundation
import HoneTune

/// The standard charts of a study, drawn from its trial records: optimization history,
/// parameter importance, parallel coordinates, contour of the two most important parameters,
/// per-parameter slices, and the trials table. Plots follow Optuna's `optuna.visualization`.
///
/// ```swift
/// let charts = StudyCharts(trials: snapshot.trials, direction: .maximize, importance: ["lr": 0.8, "width": 0.2])
/// report.figure(charts.history(), caption: "Optimization history")
/// ```
public struct StudyCharts: Sendable {
    public let trials: [FrozenTrial]
    public let direction: StudyDirection
    /// Parameter importance (sums to 1), largest first when drawn.
    public let importance: [String: Double]

    public init(trials: [FrozenTrial], direction: StudyDirection, importance: [String: Double] = [:]) {
        self.trials = trials.sorted { $0.number < $1.number }
        self.direction = direction; self.importance = importance
    }

    var completed: [FrozenTrial] { trials.filter { $0.state == .complete && $0.value?.isFinite == true } }

    /// Parameter names, most important first, then alphabetically.
    public var parameterNames: [String] {
        let names = Set(trials.flatMap { $0.distributions.keys })
        return names.sorted { (importance[$0] ?? -1, $1) > (importance[$1] ?? -1, $0) }
    }

    /// Objective value of every completed trial and the best so far.
    public func history() -> String {
        var c = LineChart(title: "Optimization history", xLabel: "trial", yLabel: "objective")
        let pts = completed.map { (Double($0.number), $0.value!) }
        c.add(.init(name: "trial value", points: pts, style: .points, labels: completed.map { "trial \($0.number): \($0.value!)" }))
        var best: Double?
        var bestPts: [(Double, Double)] = []
        for (x, v) in pts {
            if best == nil || direction.loss(v) < direction.loss(best!) { best = v }
            bestPts.append((x, best!))
        }
        c.add(.init(name: "best so far", points: bestPts, style: .line))
        return c.render()
    }

    /// Horizontal bars of parameter importance.
    public func importanceChart() -> String {
        BarChart(title: "Parameter importance", bars: importance.map { ($0.key, $0.value) }).render()
    }

    func axisValue(_ t: FrozenTrial, _ name: String) -> Double { t.params[name] ?? .nan }

    /// The last component of a dotted parameter path (`training.learning_rate` → `learning_rate`).
    public static func shortName(_ name: String) -> String { name.split(separator: ".").last.map(String.init) ?? name }

    func distribution(_ name: String) -> Distribution? { trials.lazy.compactMap { $0.distributions[name] }.first }

    /// One polyline per completed trial across every parameter and the objective.
    public func parallelCoordinates() -> String {
        let names = parameterNames
        var axes = names.map { n -> ParallelCoordinates.Axis in
            let short = StudyCharts.shortName(n)
            if case let .categorical(choices)? = distribution(n) {
                return .init(name: short, categories: choices.map(\.description))
            }
            return .init(name: short, log: distribution(n)?.isLog ?? false)
        }
        axes.append(.init(name: "objective"))
        var p = ParallelCoordinates(title: "Parallel coordinates", axes: axes)
        p.smallerIsBetter = direction == .minimize
        for t in completed { p.add(values: names.map { axisValue(t, $0) } + [t.value!], score: t.value!) }
        return p.render()
    }

    /// Objective against each parameter (one small scatter per parameter).
    public func slices() -> [(name: String, svg: String)] {
        parameterNames.map { n in
            let d = distribution(n)
            var c = LineChart(title: n, xLabel: n, yLabel: "objective", logX: d?.isLog ?? false)
            c.width = 300; c.height = 220
            c.add(.init(name: n, points: completed.compactMap { t in t.params[n].map { ($0, t.value!) } }, style: .points))
            return (n, c.render())
        }
    }

    /// Binned objective over the two most important parameters (mean of the trials in each cell,
    /// darker = better), with the trials as dots. nil when fewer than two parameters exist.
    public func contour(bins: Int = 8) -> String? {
        let names = parameterNames
        guard names.count >= 2 else { return nil }
        let (px, py) = (names[0], names[1])
        let pts = completed.compactMap { t -> (Double, Double, Double)? in
            guard let x = t.params[px], let y = t.params[py] else { return nil }
            return (x, y, t.value!)
        }
        guard !pts.isEmpty else { return nil }
        // Bin edges per axis: one bin per choice for categorical parameters, `bins` equal bins
        // (in log space for log parameters) otherwise.
        func binning(_ name: String, _ values: [Double]) -> (count: Int, bin: (Double) -> Double, labels: [String]) {
            if case let .categorical(choices)? = distribution(name) {
                return (choices.count, { $0 + 0.5 }, choices.map(\.description))
            }
            let log = distribution(name)?.isLog ?? false
            let tr: (Double) -> Double = log ? { Foundation.log10(max($0, 1e-300)) } : { $0 }
            let lo = values.map(tr).min()!, hi = values.map(tr).max()!
            let labels = (0..<bins).map { i -> String in
                let u = lo + (Double(i) + 0.5) / Double(bins) * (hi - lo)
                return Scale.label(log ? Foundation.pow(10, u) : u)
            }
            return (bins, { v in hi > lo ? min(max((tr(v) - lo) / (hi - lo), 0), 1) * Double(bins) : Double(bins) / 2 }, labels)
        }
        let bx = binning(px, pts.map(\.0)), by = binning(py, pts.map(\.1))
        var sum = Array(repeating: Array(repeating: 0.0, count: bx.count), count: by.count)
        var cnt = sum
        for (x, y, v) in pts {
            let c = min(Int(bx.bin(x)), bx.count - 1), r = by.count - 1 - min(Int(by.bin(y)), by.count - 1)
            sum[r][c] += v; cnt[r][c] += 1
        }
        let grid = (0..<by.count).map { r in (0..<bx.count).map { c in cnt[r][c] > 0 ? sum[r][c] / cnt[r][c] : .nan } }
        var h = Heatmap(title: "Contour: \(Self.shortName(px)) × \(Self.shortName(py))", rowLabels: by.labels.reversed(),
                        columnLabels: bx.labels, values: grid, xLabel: px, yLabel: py)
        h.showValues = false
        h.largerIsDarker = direction == .maximize
        h.overlay = pts.map { (x, y, v) in (bx.bin(x), Double(by.count) - by.bin(y), "\(px)=\(x), \(py)=\(y): \(v)") }
        return h.render()
    }

    /// Header and rows for the trials table; the index of the best trial's row.
    public func trialsTable() -> (headers: [String], rows: [[String]], best: Int?) {
        let names = parameterNames
        let headers = ["#", "state", "value"] + names + ["steps", "duration s"]
        var best: Int?, bestValue: Double?
        let rows = trials.enumerated().map { i, t -> [String] in
            if t.state == .complete, let v = t.value, v.isFinite,
               bestValue == nil || direction.loss(v) < direction.loss(bestValue!) { best = i; bestValue = v }
            let ext = t.externalParams
            var duration = ""
            if let s = t.startedAt, let e = t.completedAt { duration = String(format: "%.1f", e.timeIntervalSince(s)) }
            let value: String = t.value.map { String(format: "%.5g", $0) } ?? ""
            let params: [String] = names.map { ext[$0]?.description ?? "" }
            let steps: String = t.lastStep.map { String($0) } ?? ""
            var row: [String] = [String(t.number), t.state.rawValue, value]
            row += params
            row += [steps, duration]
            return row
        }
        return (headers, rows, best)
    }
}
