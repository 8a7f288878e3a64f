import Foundation
import HoneRandom

/// Gaussian-process Bayesian optimization in the manner of Optuna's `GPSampler`
/// (`optuna/samplers/_gp/`): a Matérn-5/2 ARD GP (``GaussianProcess``) on inputs scaled to
/// [0, 1] (log parameters in log space; integers and stepped floats on their widened range,
/// rounded back; categoricals through a Hamming kernel), standardized objective values with a
/// constant prior mean (``PriorMean``; by default the worst observed value, where Optuna uses
/// the observed mean), hyperparameters by maximum a posteriori, and the log expected improvement
/// (Ament et al., arXiv:2310.20708) maximized by scoring `candidates` scrambled-Sobol points, then
/// running bounded L-BFGS from the best observed point, the best candidate and
/// `localSearches − 2` candidates picked by roulette on EI; categorical coordinates are then
/// improved by trying each choice.
///
/// Defaults: 10 startup trials (random), 2048 candidates, 10 local searches, noise ≥ 1e-8,
/// prior mean = worst observed value.
/// Fitting warm-starts from the hyperparameters the latest earlier trial stored in its
/// system attributes (`gp:params`), so any process reproduces the same proposal.
///
/// ```swift
/// let study = try Study(name: "bo", sampler: GPSampler(seed: 1))
/// ```
public struct GPSampler: Sampler {
    public var seed: UInt64
    public var startupTrials: Int
    public var candidates: Int
    public var localSearches: Int
    public var priorMean: PriorMean
    let cache = FinishedTrialCache()
    let memo = FitMemo()

    /// The GP's constant prior mean: what it predicts far from every observation.
    ///
    /// ```swift
    /// let optunaLike = GPSampler(seed: 1, priorMean: .observedMean)
    /// ```
    public enum PriorMean: String, Sendable, CaseIterable {
        /// The mean of the observed values (Optuna's `GPSampler`: zero after standardizing).
        case observedMean
        /// The worst observed value (De Ath, Fieldsend & Everson, "What do you mean? The role
        /// of the mean function in Bayesian optimisation", GECCO 2020, arXiv:2004.08349: the
        /// consistently best constant mean in their study for 5+ dimensions). Unexplored regions
        /// are then not presumed average, so log EI spends fewer trials probing the corners of
        /// the box and converges more precisely inside the basins the data reveal.
        case worstObserved
    }

    public init(seed: UInt64 = 0, startupTrials: Int = 10, candidates: Int = 2048, localSearches: Int = 10,
                priorMean: PriorMean = .worstObserved) {
        self.seed = seed; self.startupTrials = startupTrials
        self.candidates = candidates; self.localSearches = localSearches
        self.priorMean = priorMean
    }

    static let paramsKey = "gp:params"

    /// The last proposal's fitted hyperparameters, kept so `systemAttributes` (called with the
    /// same snapshot right after `sampleRelative`) need not refit.
    final class FitMemo: @unchecked Sendable {
        let lock = NSLock()
        var entries: [(id: Int64, raw: [Double])] = []   // the latest few, for parallel asks
        func set(_ id: Int64, _ r: [Double]) {
            lock.lock(); defer { lock.unlock() }
            entries.removeAll { $0.id == id }
            entries.append((id, r))
            if entries.count > 64 { entries.removeFirst() }
        }
        func get(_ id: Int64) -> [Double]? {
            lock.lock(); defer { lock.unlock() }
            return entries.last { $0.id == id }?.raw
        }
    }

    public func relativeSearchSpace(study: StudySnapshot, trial: FrozenTrial) -> [String: Distribution] {
        SamplerSpace.cachedIntersection(cache, study)
    }

    public func sampleIndependent(study: StudySnapshot, trial: FrozenTrial,
                                  name: String, distribution: Distribution) -> Double {
        SamplerSpace.independentUniform(seed: seed, trial: trial, name: name, distribution)
    }

    public func systemAttributes(study: StudySnapshot, trial: FrozenTrial) -> [String: String] {
        guard let raw = memo.get(trial.id) else { return [:] }
        return [Self.paramsKey: raw.map { String($0) }.joined(separator: ",")]
    }

    /// Scaled coordinate of an internal value: [0, 1] for numbers, the index for categoricals.
    static func encode(_ v: Double, _ d: Distribution) -> Double {
        switch d {
        case let .float(low, high, log, step):
            var lo = low, hi = high, x = v
            if let step { lo -= step / 2; hi += step / 2 }
            if log { lo = Foundation.log(lo); hi = Foundation.log(hi); x = Foundation.log(x) }
            return hi > lo ? (x - lo) / (hi - lo) : 0.5
        case let .int(low, high, log, step):
            var lo = Double(low) - Double(step) / 2, hi = Double(high) + Double(step) / 2, x = v
            if log { lo = Foundation.log(lo); hi = Foundation.log(hi); x = Foundation.log(x) }
            return (x - lo) / (hi - lo)
        case .categorical: return v
        }
    }

    static func decode(_ u: Double, _ d: Distribution) -> Double {
        switch d {
        case let .float(low, high, log, step):
            var lo = low, hi = high
            if let step { lo -= step / 2; hi += step / 2 }
            if log { lo = Foundation.log(lo); hi = Foundation.log(hi) }
            var x = lo + min(max(u, 0), 1) * (hi - lo)
            if log { x = exp(x) }
            return SamplerSpace.snap(x, d)
        case let .int(low, high, log, step):
            var lo = Double(low) - Double(step) / 2, hi = Double(high) + Double(step) / 2
            if log { lo = Foundation.log(lo); hi = Foundation.log(hi) }
            var x = lo + min(max(u, 0), 1) * (hi - lo)
            if log { x = exp(x) }
            return SamplerSpace.snap(x, d)
        case .categorical: return u
        }
    }

    public func sampleRelative(study: StudySnapshot, trial: FrozenTrial,
                               space: [String: Distribution]) -> [String: Double] {
        let names = SamplerSpace.sortedNames(space)
        let dists = names.map { space[$0]! }
        let trials = study.trials
        let completeIdx = trials.indices.filter { trials[$0].state == .complete && trials[$0].values?.count == study.directions.count }
        guard completeIdx.count >= startupTrials, !names.isEmpty else { return [:] }
        let d = names.count
        var xs: [Double] = [], ys: [Double] = []
        for (i, row) in zip(completeIdx, cache.rows(trials, names: names, indices: completeIdx)) {
            guard let row, let v = trials[i].values?.first, v.isFinite else { continue }
            for j in 0..<d { xs.append(Self.encode(row[j], dists[j])) }
            ys.append(study.direction.loss(v))
        }
        let n = ys.count
        guard n >= max(2, startupTrials) else { return [:] }
        // Standardize, then put the prior mean (the GP's zero) where `priorMean` says.
        let mean = ys.reduce(0, +) / Double(n)
        var varSum = 0.0
        for v in ys { varSum += (v - mean) * (v - mean) }
        let std = max((varSum / Double(n)).squareRoot(), 1e-10)
        let zero = priorMean == .worstObserved ? ys.max()! : mean
        let yStd = ys.map { ($0 - zero) / std }
        let categorical = dists.map(\.isCategorical)
        // Warm start from the latest earlier trial's stored hyperparameters.
        var initial: [Double]? = nil
        for i in trials.indices.reversed() where trials[i].number < trial.number {
            if let s = trials[i].systemAttributes[Self.paramsKey] {
                let v = s.split(separator: ",").compactMap { Double($0) }
                if v.count == d + 2 { initial = v }
                break
            }
        }
        let gp = GaussianProcess.fit(x: xs, y: yStd, dims: d, categorical: categorical, initial: initial)
        memo.set(trial.id, gp.rawParameters)
        let best = yStd.min()!
        var g = SamplerSpace.rng(seed: seed, trial: trial.number, purpose: "gp:relative")
        let x = maximizeAcquisition(gp, best: best, dists: dists, observedBest: {
            let b = yStd.indices.min { yStd[$0] < yStd[$1] }!
            return Array(xs[(b * d)..<((b + 1) * d)])
        }(), using: &g)
        var out: [String: Double] = [:]
        for j in 0..<d { out[names[j]] = Self.decode(x[j], dists[j]) }
        return out
    }

    func randomPoint(_ dists: [Distribution], using g: inout SeededGenerator) -> [Double] {
        dists.map { d in
            if case let .categorical(choices) = d { return Double(g.int(in: 0...(choices.count - 1))) }
            return g.nextDouble()
        }
    }

    func maximizeAcquisition(_ gp: GaussianProcess, best: Double, dists: [Distribution],
                             observedBest: [Double], using g: inout SeededGenerator) -> [Double] {
        let d = dists.count
        let m = max(1, candidates)
        var points: [[Double]] = []
        points.reserveCapacity(m)
        var scores = [Double](repeating: 0, count: m)
        // Quasi-random candidates (scrambled Sobol, as Optuna's QMC preliminary samples).
        let qmc = d <= SobolSequence.maxDimensions ? SobolSequence(dimensions: d, scrambleSeed: g.next()) : nil
        for c in 0..<m {
            var p: [Double]
            if let qmc {
                p = qmc.point(c)
                for j in 0..<d {
                    if case let .categorical(choices) = dists[j] { p[j] = Double(min(Int(p[j] * Double(choices.count)), choices.count - 1)) }
                }
            } else {
                p = randomPoint(dists, using: &g)
            }
            scores[c] = gp.logExpectedImprovement(p, best: best)
            points.append(p)
        }
        // Starts: the observed best, the best candidate, then roulette on EI among the rest.
        var starts: [[Double]] = [observedBest]
        let top = scores.indices.max { scores[$0] < scores[$1] }!
        starts.append(points[top])
        let mx = scores[top]
        var w = scores.map { $0.isFinite ? exp($0 - mx) : 0 }
        w[top] = 0
        for _ in 0..<max(0, localSearches - 2) {
            let total = w.reduce(0, +)
            guard total > 0 else { break }
            var u = g.nextDouble() * total
            var pick = 0
            while pick < m - 1 && u >= w[pick] { u -= w[pick]; pick += 1 }
            starts.append(points[pick])
            w[pick] = 0
        }
        let numeric = (0..<d).filter { !dists[$0].isCategorical }
        var bestX = points[top], bestV = mx
        for s in starts {
            var x = s
            var v = gp.logExpectedImprovement(x, best: best)
            if !numeric.isEmpty {
                var full = x
                let r = BoundedLBFGS.minimize(
                    x0: numeric.map { x[$0] }, lower: [Double](repeating: 0, count: numeric.count),
                    upper: [Double](repeating: 1, count: numeric.count), maxIterations: 200,
                    gradientTolerance: 1e-6, relativeTolerance: 1e-9
                ) { sub, grad in
                    for (a, j) in numeric.enumerated() { full[j] = sub[a] }
                    var gFull = [Double](repeating: 0, count: d)
                    let val = gFull.withUnsafeMutableBufferPointer {
                        gp.logExpectedImprovement(full, best: best, gradient: $0)
                    }
                    for (a, j) in numeric.enumerated() { grad[a] = -gFull[j] }
                    return val.isFinite ? -val : .infinity
                }
                if -r.value > v {
                    for (a, j) in numeric.enumerated() { x[j] = r.x[a] }
                    v = -r.value
                }
            }
            // Categorical coordinates: one sweep over the choices.
            for j in 0..<d {
                guard case let .categorical(choices) = dists[j] else { continue }
                for c in 0..<choices.count where Double(c) != x[j] {
                    var y = x
                    y[j] = Double(c)
                    let vy = gp.logExpectedImprovement(y, best: best)
                    if vy > v { v = vy; x = y }
                }
            }
            if v > bestV { bestV = v; bestX = x }
        }
        return bestX
    }
}
