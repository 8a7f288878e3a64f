/// The data behind a study's plots, as plain Codable values (the HTML/SVG rendering lives in
/// the report module). Each builder reads a ``StudySnapshot`` and uses COMPLETE trials only.
/// Parameter values are external numbers (ints as numbers, categoricals as choice indices
/// with their labels alongside).
///
/// ```swift
/// let snap = try study.snapshot()
/// let history = PlotData.history(snap)              // value and best so far per trial
/// let front = PlotData.paretoFront(snap)            // multi-objective studies
/// let json = try JSONEncoder().encode(history)
/// ```
public enum PlotData {
    /// One point of the optimization history.
    public struct HistoryPoint: Codable, Sendable, Equatable {
        public var number: Int
        public var value: Double
        public var best: Double
    }

    /// Objective value and running best (per the study direction) of every COMPLETE trial.
    public static func history(_ study: StudySnapshot, objective: Int = 0) -> [HistoryPoint] {
        let dir = study.directions[min(objective, study.directions.count - 1)]
        var best: Double? = nil
        var out: [HistoryPoint] = []
        for t in study.trials where t.state == .complete {
            guard let v = t.values, v.count > objective else { continue }
            let y = v[objective]
            if best == nil || dir.loss(y) < dir.loss(best!) { best = y }
            out.append(HistoryPoint(number: t.number, value: y, best: best!))
        }
        return out
    }

    public struct ImportanceBar: Codable, Sendable, Equatable {
        public var name: String
        public var importance: Double
    }

    /// fANOVA importances (``ParameterImportance``), largest first.
    public static func importance(_ study: StudySnapshot, objective: Int = 0) -> [ImportanceBar] {
        let dir = study.directions[min(objective, study.directions.count - 1)]
        let trials = study.trials.compactMap { t -> FrozenTrial? in
            guard t.state == .complete, let v = t.values, v.count > objective else { return nil }
            var u = t; u.values = [v[objective]]; return u
        }
        return ParameterImportance.compute(trials: trials, direction: dir)
            .map { ImportanceBar(name: $0.key, importance: $0.value) }
            .sorted { $0.importance > $1.importance || ($0.importance == $1.importance && $0.name < $1.name) }
    }

    /// One axis of a parallel-coordinates or slice plot.
    public struct Axis: Codable, Sendable, Equatable {
        public var name: String
        public var low: Double
        public var high: Double
        public var log: Bool
        /// Choice labels for categorical parameters (values are their indices), else nil.
        public var labels: [String]?
    }

    static func axis(_ name: String, _ d: Distribution) -> Axis {
        switch d {
        case let .float(low, high, log, _): return Axis(name: name, low: low, high: high, log: log, labels: nil)
        case let .int(low, high, log, _): return Axis(name: name, low: Double(low), high: Double(high), log: log, labels: nil)
        case let .categorical(choices):
            return Axis(name: name, low: 0, high: Double(choices.count - 1), log: false, labels: choices.map(\.description))
        }
    }

    public struct ParallelCoordinates: Codable, Sendable, Equatable {
        public var axes: [Axis]
        /// One line per COMPLETE trial that has every axis: its number, objective value and the
        /// parameter values in axis order.
        public var lines: [Line]
        public struct Line: Codable, Sendable, Equatable {
            public var number: Int
            public var value: Double
            public var params: [Double]
        }
    }

    /// Parameters shared by every COMPLETE trial (sorted by name) and one line per trial.
    public static func parallelCoordinates(_ study: StudySnapshot, objective: Int = 0) -> ParallelCoordinates {
        let space = SamplerSpace.intersection(study)
        let names = SamplerSpace.sortedNames(space)
        var lines: [ParallelCoordinates.Line] = []
        for t in study.trials where t.state == .complete {
            guard let v = t.values, v.count > objective else { continue }
            let p = names.compactMap { t.params[$0] }
            if p.count == names.count { lines.append(.init(number: t.number, value: v[objective], params: p)) }
        }
        return ParallelCoordinates(axes: names.map { axis($0, space[$0]!) }, lines: lines)
    }

    public struct Slice: Codable, Sendable, Equatable {
        public var axis: Axis
        /// (parameter value, objective value, trial number) per COMPLETE trial that has it.
        public var points: [Point]
        public struct Point: Codable, Sendable, Equatable {
            public var param: Double
            public var value: Double
            public var number: Int
        }
    }

    /// One slice per parameter seen in a COMPLETE trial (sorted by name): objective against
    /// that parameter alone.
    public static func slices(_ study: StudySnapshot, objective: Int = 0) -> [Slice] {
        var dists: [String: Distribution] = [:]
        var points: [String: [Slice.Point]] = [:]
        for t in study.trials where t.state == .complete {
            guard let v = t.values, v.count > objective else { continue }
            for (name, x) in t.params {
                guard let d = t.distributions[name] else { continue }
                if dists[name] == nil { dists[name] = d }
                guard dists[name] == d else { continue }
                points[name, default: []].append(.init(param: x, value: v[objective], number: t.number))
            }
        }
        return dists.keys.sorted().map { Slice(axis: axis($0, dists[$0]!), points: points[$0] ?? []) }
    }

    public struct Contour: Codable, Sendable, Equatable {
        public var x: Axis
        public var y: Axis
        /// Observed trials: (x, y, objective value).
        public var points: [[Double]]
        /// Grid coordinates (external values; log-spaced for log axes) and the GP posterior mean
        /// of the objective over them, `predicted[i][j]` at (xs[j], ys[i]); empty when fewer than
        /// three trials have both parameters.
        public var xs: [Double]
        public var ys: [Double]
        public var predicted: [[Double]]
    }

    /// Objective over two parameters: the observed points, and a `resolution` × `resolution`
    /// surface predicted by a Matérn-5/2 Gaussian process (``GaussianProcess``) fitted to them
    /// (on at most the 500 most recent trials, to bound the O(n³) fit).
    public static func contour(_ study: StudySnapshot, x xName: String, y yName: String,
                               objective: Int = 0, resolution: Int = 30) -> Contour? {
        var dx: Distribution? = nil, dy: Distribution? = nil
        var pts: [[Double]] = []
        for t in study.trials where t.state == .complete {
            guard let v = t.values, v.count > objective, let a = t.params[xName], let b = t.params[yName],
                  let da = t.distributions[xName], let db = t.distributions[yName] else { continue }
            if dx == nil { dx = da; dy = db }
            guard da == dx, db == dy, v[objective].isFinite else { continue }
            pts.append([a, b, v[objective]])
        }
        guard let dx, let dy else { return nil }
        var contour = Contour(x: axis(xName, dx), y: axis(yName, dy), points: pts, xs: [], ys: [], predicted: [])
        let fit = Array(pts.suffix(500))
        guard fit.count >= 3, resolution >= 2 else { return contour }
        let cat = [dx.isCategorical, dy.isCategorical]
        var X: [Double] = [], Y: [Double] = []
        for p in fit { X.append(GPSampler.encode(p[0], dx)); X.append(GPSampler.encode(p[1], dy)); Y.append(p[2]) }
        let mean = Y.reduce(0, +) / Double(Y.count)
        let sd = max((Y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(Y.count)).squareRoot(), 1e-12)
        let gp = GaussianProcess.fit(x: X, y: Y.map { ($0 - mean) / sd }, dims: 2, categorical: cat)
        func grid(_ d: Distribution) -> [Double] {
            if let n = d.cardinality, n <= resolution {
                return (0..<n).map { SamplerSpace.fromUnit((Double($0) + 0.5) / Double(n), d) }
            }
            return (0..<resolution).map { GPSampler.decode(Double($0) / Double(resolution - 1), d) }
        }
        contour.xs = grid(dx); contour.ys = grid(dy)
        contour.predicted = contour.ys.map { yv in
            contour.xs.map { xv in
                gp.predict([GPSampler.encode(xv, dx), GPSampler.encode(yv, dy)]).mean * sd + mean
            }
        }
        return contour
    }

    public struct ParetoPoint: Codable, Sendable, Equatable {
        public var number: Int
        public var values: [Double]
        /// Non-domination rank (0 = on the Pareto front).
        public var rank: Int
    }

    /// Every COMPLETE trial of a multi-objective study with its non-domination rank (per the
    /// study directions); the front is the rank-0 points.
    public static func paretoFront(_ study: StudySnapshot) -> [ParetoPoint] {
        let done = study.trials.filter { $0.state == .complete && $0.values?.count == study.directions.count }
        let losses = done.map { t in zip(t.values!, study.directions).map { $1.loss($0) } }
        let ranks = Pareto.ranks(losses)
        return done.indices.map { ParetoPoint(number: done[$0].number, values: done[$0].values!, rank: ranks[$0]) }
    }
}
