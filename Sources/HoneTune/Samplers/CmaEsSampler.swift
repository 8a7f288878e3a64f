import Foundation
import HoneRandom

/// CMA-ES (Hansen, "The CMA Evolution Strategy: A Tutorial", arXiv:1604.00772, with the
/// default parameters of its Table 1) over the numerical parameters of the intersection
/// search space, scaled to [0, 1] (log parameters in log space; integers rounded back).
///
/// Defaults: λ = 4 + ⌊3 ln n⌋, μ = ⌊λ/2⌋ with log-rank weights, mean at the centre,
/// σ₀ = 1/6 of the (scaled) range, as Optuna's `CmaEsSampler`. Out-of-bounds draws are
/// resampled (up to 100 times) and then clipped. Categorical parameters and spaces with fewer
/// than two numerical parameters are sampled at random.
///
/// The sampler keeps no state: each trial stores its generation in its system attributes
/// (`cmaes:generation`), and the strategy is replayed from the first λ COMPLETE trials of each
/// generation, so any worker process reproduces it (a memo only skips recomputation).
///
/// ```swift
/// let study = try Study(name: "es", sampler: CmaEsSampler(seed: 3))
/// ```
public struct CmaEsSampler: Sampler {
    public var seed: UInt64
    /// Offspring per generation; nil: 4 + ⌊3 ln n⌋.
    public var populationSize: Int?
    /// Initial step size in the [0, 1]-scaled space.
    public var sigma0: Double
    let cache = FinishedTrialCache()
    let memo = StateMemo()

    public init(seed: UInt64 = 0, populationSize: Int? = nil, sigma0: Double = 1.0 / 6.0) {
        self.seed = seed; self.populationSize = populationSize; self.sigma0 = sigma0
    }

    static let generationKey = "cmaes:generation"

    /// The evolution state after some number of generations.
    struct State {
        var names: [String]
        var mean: [Double]
        var sigma: Double
        var c: [Double]
        var pSigma: [Double]
        var pC: [Double]
        var b: [Double]
        var dDiag: [Double]
        var key: [Double] = []
    }

    final class StateMemo: @unchecked Sendable {
        let lock = NSLock()
        var states: [State] = []   // states[g] = after g + 1 generations
    }

    public func relativeSearchSpace(study: StudySnapshot, trial: FrozenTrial) -> [String: Distribution] {
        let s = (cache.intersection(study.trials) ?? [:]).filter { !SamplerSpace.isSingle($0.value) && !$0.value.isCategorical }
        return s.count >= 2 ? s : [:]
    }

    public func sampleIndependent(study: StudySnapshot, trial: FrozenTrial,
                                  name: String, distribution: Distribution) -> Double {
        var g = SamplerSpace.rng(seed: seed, trial: trial.number, purpose: name)
        return SamplerSpace.uniform(distribution, using: &g)
    }

    public func systemAttributes(study: StudySnapshot, trial: FrozenTrial) -> [String: String] {
        let space = relativeSearchSpace(study: study, trial: trial)
        if space.isEmpty { return [:] }
        return [Self.generationKey: String(generations(study, space: space).0)]
    }

    func lambda(_ n: Int) -> Int { populationSize ?? (4 + Int((3 * log(Double(n))).rounded(.down))) }

    func initialState(_ names: [String]) -> State {
        let n = names.count
        var c = [Double](repeating: 0, count: n * n), b = c
        for i in 0..<n { c[i * n + i] = 1; b[i * n + i] = 1 }
        return State(names: names, mean: [Double](repeating: 0.5, count: n), sigma: sigma0, c: c,
                     pSigma: [Double](repeating: 0, count: n), pC: [Double](repeating: 0, count: n),
                     b: b, dDiag: [Double](repeating: 1, count: n))
    }

    /// Replays the finished generations: returns the current generation number and its state.
    func generations(_ study: StudySnapshot, space: [String: Distribution]) -> (Int, State) {
        let trials = study.trials
        let names = SamplerSpace.sortedNames(space)
        let n = names.count, lam = lambda(n)
        var members: [[Int]] = []
        for i in trials.indices where trials[i].state == .complete {
            guard trials[i].values?.count == 1, let g = trials[i].systemAttributes[Self.generationKey].flatMap({ Int($0) }),
                  g >= 0 else { continue }
            while members.count <= g { members.append([]) }
            if members[g].count < lam { members[g].append(i) }
        }
        memo.lock.lock(); defer { memo.lock.unlock() }
        var state = initialState(names)
        var g = 0
        var valid = true
        let dists = names.map { space[$0]! }
        while g < members.count && members[g].count >= lam {
            var key: [Double] = []
            for i in members[g] { key.append(Double(trials[i].id)); key.append(trials[i].completedAt?.timeIntervalSince1970 ?? -1) }
            if valid, g < memo.states.count, memo.states[g].key == key, memo.states[g].names == names {
                state = memo.states[g]; g += 1; continue
            }
            valid = false
            // Offspring in [0, 1] coordinates, ranked by loss.
            let rows = cache.rows(trials, names: names, indices: members[g])
            var xs: [([Double], Double)] = []
            for (k, i) in members[g].enumerated() {
                guard let row = rows[k], let v = trials[i].values?.first else { continue }
                let x = (0..<n).map { j in GPSampler.encode(row[j], dists[j]) }
                xs.append((x, study.direction.loss(v)))
            }
            xs.sort { $0.1 < $1.1 }
            if xs.count >= 2 { update(&state, xs.map(\.0), generation: g) }
            state.key = key
            if g < memo.states.count { memo.states[g] = state; memo.states.removeSubrange((g + 1)...) }
            else { memo.states.append(state) }
            g += 1
        }
        return (g, state)
    }

    /// One (μ/μ_w, λ)-CMA-ES update with ranked offspring (Hansen 2016, eqs. 39–47).
    func update(_ s: inout State, _ ranked: [[Double]], generation: Int) {
        let n = s.mean.count, lam = ranked.count, mu = max(1, lam / 2)
        var w = (0..<mu).map { log(Double(lam + 1) / 2) - log(Double($0 + 1)) }
        let sw = w.reduce(0, +); w = w.map { $0 / sw }
        let muEff = 1 / w.reduce(0) { $0 + $1 * $1 }
        let nd = Double(n)
        let cSigma = (muEff + 2) / (nd + muEff + 5)
        let dSigma = 1 + 2 * max(0, ((muEff - 1) / (nd + 1)).squareRoot() - 1) + cSigma
        let cc = (4 + muEff / nd) / (nd + 4 + 2 * muEff / nd)
        let c1 = 2 / ((nd + 1.3) * (nd + 1.3) + muEff)
        let cMu = min(1 - c1, 2 * (muEff - 2 + 1 / muEff) / ((nd + 2) * (nd + 2) + muEff))
        let chiN = nd.squareRoot() * (1 - 1 / (4 * nd) + 1 / (21 * nd * nd))
        let old = s.mean
        var mean = [Double](repeating: 0, count: n)
        for k in 0..<mu { for i in 0..<n { mean[i] += w[k] * ranked[k][i] } }
        let yw = (0..<n).map { (mean[$0] - old[$0]) / s.sigma }
        // C^{-1/2} yw = B D⁻¹ Bᵀ yw.
        var bty = [Double](repeating: 0, count: n)
        for k in 0..<n { for i in 0..<n { bty[k] += s.b[i * n + k] * yw[i] } }
        var cInvHalfY = [Double](repeating: 0, count: n)
        for i in 0..<n { for k in 0..<n { cInvHalfY[i] += s.b[i * n + k] * bty[k] / s.dDiag[k] } }
        let csn = (cSigma * (2 - cSigma) * muEff).squareRoot()
        for i in 0..<n { s.pSigma[i] = (1 - cSigma) * s.pSigma[i] + csn * cInvHalfY[i] }
        let psNorm = s.pSigma.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let decay = (1 - pow(1 - cSigma, 2 * Double(generation + 1))).squareRoot()
        let hSigma = psNorm / decay < (1.4 + 2 / (nd + 1)) * chiN ? 1.0 : 0.0
        let ccn = (cc * (2 - cc) * muEff).squareRoot()
        for i in 0..<n { s.pC[i] = (1 - cc) * s.pC[i] + hSigma * ccn * yw[i] }
        let deltaH = (1 - hSigma) * cc * (2 - cc)
        var c = s.c
        for i in 0..<n {
            for j in 0..<n {
                var rankMu = 0.0
                for k in 0..<mu {
                    rankMu += w[k] * (ranked[k][i] - old[i]) * (ranked[k][j] - old[j])
                }
                rankMu /= s.sigma * s.sigma
                c[i * n + j] = (1 + c1 * deltaH - c1 - cMu) * s.c[i * n + j]
                    + c1 * s.pC[i] * s.pC[j] + cMu * rankMu
            }
        }
        s.sigma *= exp((cSigma / dSigma) * (psNorm / chiN - 1))
        s.sigma = min(max(s.sigma, 1e-12), 1)
        s.mean = mean
        // Symmetrize, decompose, guard against numerical loss of definiteness.
        for i in 0..<n { for j in 0..<i { let v = 0.5 * (c[i * n + j] + c[j * n + i]); c[i * n + j] = v; c[j * n + i] = v } }
        let e = SymmetricEigen(c, n: n)
        s.c = c
        s.b = e.vectors
        s.dDiag = e.values.map { max($0, 1e-20).squareRoot() }
    }

    public func sampleRelative(study: StudySnapshot, trial: FrozenTrial,
                               space: [String: Distribution]) -> [String: Double] {
        let names = SamplerSpace.sortedNames(space)
        guard names.count >= 2 else { return [:] }
        let (_, s) = generations(study, space: space)
        let n = names.count
        var g = SamplerSpace.rng(seed: seed, trial: trial.number, purpose: "cmaes:relative")
        var x = [Double](repeating: 0, count: n)
        for attempt in 0..<100 {
            let z = (0..<n).map { _ in g.normal() }
            var inside = true
            for i in 0..<n {
                var y = 0.0
                for k in 0..<n { y += s.b[i * n + k] * s.dDiag[k] * z[k] }
                x[i] = s.mean[i] + s.sigma * y
                if x[i] < 0 || x[i] > 1 { inside = false }
            }
            if inside || attempt == 99 { break }
        }
        var out: [String: Double] = [:]
        for (i, name) in names.enumerated() {
            out[name] = GPSampler.decode(min(max(x[i], 0), 1), space[name]!)
        }
        return out
    }
}
