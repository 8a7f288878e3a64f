import HoneRandom

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// The mixture of product kernels behind TPE (Bergstra et al. NeurIPS 2011; Watanabe,
/// arXiv:2304.11127, §3), laid out as Optuna 5's `_ParzenEstimator`:
///
/// - one kernel per observation plus a prior kernel (mean at the centre, σ = range);
/// - numerical dimensions: truncated Gaussians in (log-)space; bandwidth = the larger gap to a
///   neighbour, clipped to [range / min(100, 1 + n_kernels), range] ("magic clip");
///   stepped/integer dimensions integrate the kernel over each value's cell;
/// - categorical dimensions: each kernel puts weight 1 on its observed choice plus
///   prior_weight / n_kernels on every choice, renormalized.
///
/// Memory is dimension-major so the log-density loop over kernels is contiguous.
struct ParzenEstimator {
    enum Kind {
        /// lo/hi are the (log-)transformed, step-widened bounds.
        case continuous(lo: Double, hi: Double, log: Bool)
        case discrete(low: Double, high: Double, step: Double, lo: Double, hi: Double, log: Bool)
        case categorical(count: Int)
    }

    let kinds: [Kind]
    let kernelCount: Int
    /// log weight of each kernel minus every continuous dimension's normalizer.
    private(set) var base: [Double]
    /// Normalized kernel weights, for choosing a kernel when sampling.
    private(set) var cumulativeWeights: [Double]
    /// Per dimension: means, 1/σ, σ (numerical) or log-probabilities, kernel-major (categorical).
    private(set) var mus: [[Double]] = []
    private(set) var invSigmas: [[Double]] = []
    private(set) var sigmas: [[Double]] = []
    /// Per dimension and kernel: log mass of the kernel inside the bounds (discrete dims).
    private(set) var logMasses: [[Double]] = []
    private(set) var catLogProbs: [[Double]] = []
    private(set) var catCumProbs: [[Double]] = []

    static func kind(of d: Distribution) -> Kind {
        switch d {
        case let .float(low, high, log, step):
            if let step {
                let lo = low - step / 2, hi = high + step / 2
                return .discrete(low: low, high: high, step: step,
                                 lo: log ? logE(lo) : lo, hi: log ? logE(hi) : hi, log: log)
            }
            return .continuous(lo: log ? logE(low) : low, hi: log ? logE(high) : high, log: log)
        case let .int(low, high, log, step):
            let s = Double(step), lo = Double(low) - s / 2, hi = Double(high) + s / 2
            return .discrete(low: Double(low), high: Double(high), step: s,
                             lo: log ? logE(lo) : lo, hi: log ? logE(hi) : hi, log: log)
        case let .categorical(choices):
            return .categorical(count: choices.count)
        }
    }

    /// - Parameters:
    ///   - observations: dimension-major internal values, `observations[j][i]` for observation i.
    ///   - weights: one non-negative weight per observation (the prior gets `priorWeight`).
    init(kinds: [Kind], observations: [[Double]], count n: Int, weights: [Double],
         priorWeight: Double, considerEndpoints: Bool = false, magicClip: Bool = true) {
        self.kinds = kinds
        kernelCount = n + 1
        let nk = kernelCount
        var w = weights
        w.append(priorWeight)
        if n == 0 { w = [1] }
        let total = w.reduce(0, +)
        var cum = [Double](repeating: 0, count: nk)
        var acc = 0.0
        base = [Double](repeating: 0, count: nk)
        for k in 0..<nk {
            let wk = w[k] / total
            acc += wk; cum[k] = acc
            base[k] = wk > 0 ? logE(wk) : -.infinity
        }
        cumulativeWeights = cum
        for (j, kind) in kinds.enumerated() {
            let obs = observations.isEmpty ? [] : observations[j]
            switch kind {
            case let .categorical(count):
                var lp = [Double](repeating: 0, count: nk * count)
                var cp = [Double](repeating: 0, count: nk * count)
                let prior = priorWeight / Double(nk)
                for k in 0..<nk {
                    var row = [Double](repeating: n == 0 ? 1 / Double(count) : prior, count: count)
                    if k < n { row[Int(obs[k])] += 1 }
                    let s = row.reduce(0, +)
                    var c = 0.0
                    for m in 0..<count {
                        let p = s > 0 ? row[m] / s : 1 / Double(count)
                        lp[k * count + m] = logE(p); c += p; cp[k * count + m] = c
                    }
                    cp[k * count + count - 1] = 1
                }
                catLogProbs.append(lp); catCumProbs.append(cp)
                mus.append([]); sigmas.append([]); invSigmas.append([]); logMasses.append([])
            case let .continuous(lo, hi, log), let .discrete(_, _, _, lo, hi, log):
                var mu = [Double](repeating: 0, count: nk)
                for i in 0..<n { mu[i] = log ? logE(obs[i]) : obs[i] }
                var sigma = Self.bandwidths(mu: mu, n: n, lo: lo, hi: hi,
                                            considerEndpoints: considerEndpoints, magicClip: magicClip)
                mu[n] = 0.5 * (lo + hi); sigma.append(hi - lo)
                var inv = [Double](repeating: 0, count: nk)
                var masses = [Double](repeating: 0, count: nk)
                for k in 0..<nk {
                    inv[k] = 1 / sigma[k]
                    masses[k] = Normal.logMass((lo - mu[k]) * inv[k], (hi - mu[k]) * inv[k])
                    if case .continuous = kind {
                        base[k] -= logE(sigma[k]) + Normal.logSqrt2Pi + masses[k]
                    } else {
                        base[k] -= masses[k]
                    }
                }
                mus.append(mu); sigmas.append(sigma); invSigmas.append(inv); logMasses.append(masses)
                catLogProbs.append([]); catCumProbs.append([])
            }
        }
    }

    /// Optuna's bandwidth rule: for each sorted mean, the larger distance to a neighbour
    /// (bounds included), endpoints using their inner gap, then clipped.
    static func bandwidths(mu: [Double], n: Int, lo: Double, hi: Double,
                           considerEndpoints: Bool, magicClip: Bool) -> [Double] {
        if n == 0 { return [] }
        // Sort the means alone (a fast specialized sort), then give each observation its
        // rank; equal means take consecutive ranks in index order, as a stable argsort does.
        let sortedMu = mu[0..<n].sorted()
        var used = [Int](repeating: 0, count: n)
        var rankOf = [Int](repeating: 0, count: n)
        for i in 0..<n {
            var a = 0, b = n
            let v = mu[i]
            while a < b { let m = (a + b) >> 1; if sortedMu[m] < v { a = m + 1 } else { b = m } }
            rankOf[i] = a + used[a]; used[a] += 1
        }
        var s = [Double](repeating: 0, count: n + 2)
        s[0] = lo; s[n + 1] = hi
        for r in 0..<n { s[r + 1] = sortedMu[r] }
        var sorted = [Double](repeating: 0, count: n)
        for r in 0..<n { sorted[r] = max(s[r + 1] - s[r], s[r + 2] - s[r + 1]) }
        if !considerEndpoints && n + 2 >= 4 {
            sorted[0] = s[2] - s[1]
            sorted[n - 1] = s[n] - s[n - 1]
        }
        let maxSigma = hi - lo
        let minSigma = magicClip ? (hi - lo) / min(100, 1 + Double(n + 1)) : 1e-12
        var out = [Double](repeating: 0, count: n)
        for i in 0..<n { out[i] = min(max(sorted[rankOf[i]], minSigma), maxSigma) }
        return out
    }

    /// Index of a kernel drawn by weight.
    func drawKernel(using g: inout SeededGenerator) -> Int {
        let u = g.nextDouble()
        var k = 0
        var hiIdx = kernelCount - 1
        while k < hiIdx { let m = (k + hiIdx) / 2; if cumulativeWeights[m] > u { hiIdx = m } else { k = m + 1 } }
        return k
    }

    /// Draws `count` candidates, returned dimension-major. The first `count − recombined`
    /// come from the mixture (one kernel for all dimensions); the last `recombined` pick a
    /// kernel per dimension, i.e. from the product of the mixture's marginals, which
    /// recombines good coordinates of different observations.
    func sample(count: Int, recombined: Int = 0, using g: inout SeededGenerator) -> [[Double]] {
        var out = [[Double]](repeating: [Double](repeating: 0, count: count), count: kinds.count)
        for c in 0..<count {
            let perDim = c >= count - recombined
            var k = drawKernel(using: &g)
            for (j, kind) in kinds.enumerated() {
                if perDim && j > 0 { k = drawKernel(using: &g) }
                switch kind {
                case let .categorical(n):
                    let v = g.nextDouble()
                    var m = 0
                    while m < n - 1 && catCumProbs[j][k * n + m] < v { m += 1 }
                    out[j][c] = Double(m)
                case let .continuous(lo, hi, log):
                    let mu = mus[j][k], s = sigmas[j][k]
                    let z = Normal.truncatedSample((lo - mu) / s, (hi - mu) / s, u: g.nextDouble())
                    let t = min(max(mu + s * z, lo), hi)
                    out[j][c] = log ? exp(t) : t
                case let .discrete(low, high, step, lo, hi, log):
                    let mu = mus[j][k], s = sigmas[j][k]
                    let z = Normal.truncatedSample((lo - mu) / s, (hi - mu) / s, u: g.nextDouble())
                    let t = mu + s * z
                    let x = log ? exp(t) : t
                    out[j][c] = min(max(low + ((x - low) / step).rounded() * step, low), high)
                }
            }
        }
        return out
    }

    /// log density of each candidate (dimension-major input), by log-sum-exp over kernels.
    func logPDF(_ x: [[Double]], count: Int) -> [Double] {
        let nk = kernelCount
        var acc = [Double](repeating: 0, count: nk)
        var out = [Double](repeating: 0, count: count)
        for c in 0..<count {
            acc.withUnsafeMutableBufferPointer { a in
                base.withUnsafeBufferPointer { b in for k in 0..<nk { a[k] = b[k] } }
                for (j, kind) in kinds.enumerated() {
                    let xv = x[j][c]
                    switch kind {
                    case let .categorical(n):
                        let m = Int(xv)
                        catLogProbs[j].withUnsafeBufferPointer { lp in
                            for k in 0..<nk { a[k] += lp[k * n + m] }
                        }
                    case let .continuous(_, _, log):
                        let t = log ? logE(xv) : xv
                        mus[j].withUnsafeBufferPointer { mu in
                            invSigmas[j].withUnsafeBufferPointer { inv in
                                for k in 0..<nk {
                                    let z = (t - mu[k]) * inv[k]
                                    a[k] -= 0.5 * z * z
                                }
                            }
                        }
                    case let .discrete(_, _, step, _, _, log):
                        let l = log ? logE(xv - step / 2) : xv - step / 2
                        let r = log ? logE(xv + step / 2) : xv + step / 2
                        for k in 0..<nk {
                            let mu = mus[j][k], inv = invSigmas[j][k]
                            a[k] += Normal.logMass((l - mu) * inv, (r - mu) * inv)
                        }
                    }
                }
                var mx = -Double.infinity
                for k in 0..<nk where a[k] > mx { mx = a[k] }
                if mx == -.infinity { out[c] = -.infinity; return }
                // Terms below e^-60 relative to the largest cannot change the sum.
                let cut = mx - 60
                var s = 0.0
                for k in 0..<nk where a[k] > cut { s += exp(a[k] - mx) }
                out[c] = mx + logE(s)
            }
        }
        return out
    }
}
