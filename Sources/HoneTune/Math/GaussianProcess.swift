#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// Gaussian-process regression with a Matérn-5/2 ARD kernel (Rasmussen & Williams 2006,
/// eq. 4.17 and Alg. 2.1), as in Optuna's `GPSampler` (`optuna/_gp/gp.py`):
///
///   k(x, x') = s · (1 + √5 r + 5r²/3) e^{−√5 r},  r² = Σⱼ λⱼ dⱼ(x, x')²,
///
/// where dⱼ is the coordinate difference for numerical inputs (scaled to [0, 1]) and 0/1 for
/// categorical ones (Hamming distance), λⱼ are inverse squared length scales, and the
/// observation noise variance is added on the diagonal. Hyperparameters maximize the log
/// marginal likelihood plus Optuna's log prior: −Σ(0.1/λⱼ + 0.1 λⱼ) + Γ(2, 1) on s +
/// Γ(1.1, 30) on the noise, with noise ≥ `minimumNoise`.
///
/// ```swift
/// let gp = GaussianProcess.fit(x: X, y: y, dims: 2, categorical: [false, false])
/// let (mean, variance) = gp.predict([0.5, 0.5])
/// ```
public struct GaussianProcess: Sendable {
    public let dims: Int
    public let count: Int
    public let categorical: [Bool]
    /// Training inputs, row-major n × d.
    public let x: [Double]
    public let y: [Double]
    /// λⱼ (inverse squared length scales), s (kernel scale), noise variance.
    public let inverseSquaredLengthScales: [Double]
    public let kernelScale: Double
    public let noise: Double
    let cholesky: Cholesky
    /// α = C⁻¹ y.
    let alpha: [Double]

    /// Matérn-5/2 correlation as a function of r².
    @inline(__always) static func matern(_ r2: Double) -> Double {
        let r = (r2 > 0 ? r2 : 0).squareRoot(), s5r = 2.23606797749979 * r
        return (1 + s5r + 5.0 / 3.0 * r2) * exp(-s5r)
    }

    /// d matern / d(r²) = −(5/6)(1 + √5 r) e^{−√5 r}.
    @inline(__always) static func maternGrad(_ r2: Double) -> Double {
        let r = (r2 > 0 ? r2 : 0).squareRoot(), s5r = 2.23606797749979 * r
        return -5.0 / 6.0 * (1 + s5r) * exp(-s5r)
    }

    /// The GP with the given hyperparameters; nil when the covariance is not positive definite.
    public init?(x: [Double], y: [Double], dims: Int, categorical: [Bool],
                 inverseSquaredLengthScales lam: [Double], kernelScale s: Double, noise: Double) {
        let n = y.count
        precondition(x.count == n * dims, "GaussianProcess: x has \(x.count) values, expected \(n)×\(dims)")
        var c = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            c[i * n + i] = s + noise
            for j in 0..<i {
                var r2 = 0.0
                for k in 0..<dims {
                    let d = x[i * dims + k] - x[j * dims + k]
                    r2 += lam[k] * (categorical[k] ? (d != 0 ? 1 : 0) : d * d)
                }
                let v = s * Self.matern(r2)
                c[i * n + j] = v; c[j * n + i] = v
            }
        }
        guard let ch = Cholesky(c, n: n) else { return nil }
        self.dims = dims; self.count = n; self.categorical = categorical; self.x = x; self.y = y
        inverseSquaredLengthScales = lam; kernelScale = s; self.noise = noise
        cholesky = ch; alpha = ch.solve(y)
    }

    /// Packs hyperparameters as Optuna's raw vector: [log λ…, log s, log(noise − minimumNoise)].
    public var rawParameters: [Double] {
        inverseSquaredLengthScales.map { log($0) } + [log(kernelScale), log(max(noise - Self.minimumNoise, 1e-300))]
    }

    /// The floor on the noise variance (in the units of the standardized objective). Optuna
    /// uses 1e-6; Hone uses 1e-8. The noise is fitted (MAP with the Γ(1.1, 30) prior), so the
    /// floor binds only for (nearly) deterministic objectives, where 1e-6 keeps the GP from
    /// resolving differences below ~1e-3 standard deviations and stalls the refinement of the
    /// optimum (Hartmann-6 median regret 3.7e-5 with 1e-6, 3.0e-6 with 1e-8, 20 seeds). A
    /// covariance that still fails to factor gets more jitter (see ``fit``).
    public static let minimumNoise = 1e-8

    /// Fits hyperparameters by maximizing log marginal likelihood + log prior with bounded
    /// L-BFGS from `initial` raw parameters (default: all λ, s, noise = 1, Optuna's default),
    /// falling back to the default start when that fails.
    public static func fit(x: [Double], y: [Double], dims: Int, categorical: [Bool],
                           initial: [Double]? = nil, gradientTolerance: Double = 1e-2) -> GaussianProcess {
        let n = y.count, pairs = n * (n - 1) / 2
        let sq = pairSquaredDifferences(x, n: n, dims: dims, categorical: categorical)
        let m = dims + 2
        let defaultStart = [Double](repeating: 0, count: dims) + [0, log(1 - 0.99 * minimumNoise)]
        var best: (value: Double, raw: [Double])? = nil
        for start in [initial, defaultStart].compactMap({ $0 }) where start.count == m {
            let r = BoundedLBFGS.minimize(
                x0: start, lower: [Double](repeating: -20, count: m), upper: [Double](repeating: 20, count: m),
                maxIterations: 200, gradientTolerance: gradientTolerance, relativeTolerance: 0
            ) { raw, grad in
                negLogPosterior(raw, y: y, n: n, dims: dims, sq: sq, pairs: pairs, grad: &grad)
            }
            if r.value.isFinite, best == nil || r.value < best!.value { best = (r.value, r.x) }
            if best != nil { break }
        }
        let raw = best?.raw ?? defaultStart
        let lam = raw[0..<dims].map { exp($0) }
        let s = exp(raw[dims]), noise = minimumNoise + exp(raw[dims + 1])
        // Escalating jitter when the fitted covariance does not factor (as GPyTorch's
        // psd_safe_cholesky): near-duplicate points with a tiny noise floor.
        for jitter in [0, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4] {
            if let gp = GaussianProcess(x: x, y: y, dims: dims, categorical: categorical,
                                        inverseSquaredLengthScales: lam, kernelScale: s, noise: noise + jitter * s) {
                return gp
            }
        }
        // Degenerate data: fall back to a well-conditioned default.
        return GaussianProcess(x: x, y: y, dims: dims, categorical: categorical,
                               inverseSquaredLengthScales: [Double](repeating: 1, count: dims),
                               kernelScale: 1, noise: 1)!
    }

    /// −(log marginal likelihood + log prior) of raw parameters (see ``rawParameters``) and
    /// its gradient, for inputs `x` (n × dims, row-major) and values `y`.
    public static func negativeLogPosterior(_ raw: [Double], x: [Double], y: [Double], dims: Int,
                                            categorical: [Bool], gradient: inout [Double]) -> Double {
        let n = y.count, pairs = n * (n - 1) / 2
        let sq = pairSquaredDifferences(x, n: n, dims: dims, categorical: categorical)
        return negLogPosterior(raw, y: y, n: n, dims: dims, sq: sq, pairs: pairs, grad: &gradient)
    }

    /// Per-dimension squared differences dⱼ(xᵢ, xₖ)² of every pair i > k, dimension-major
    /// (dims × n(n−1)/2): what the covariance and its length-scale gradient are built from.
    static func pairSquaredDifferences(_ x: [Double], n: Int, dims: Int, categorical: [Bool]) -> [Double] {
        let pairs = n * (n - 1) / 2
        var sq = [Double](repeating: 0, count: dims * pairs)
        var p = 0
        for i in 0..<n {
            for j in 0..<i {
                for k in 0..<dims {
                    let d = x[i * dims + k] - x[j * dims + k]
                    sq[k * pairs + p] = categorical[k] ? (d != 0 ? 1 : 0) : d * d
                }
                p += 1
            }
        }
        return sq
    }

    static func negLogPosterior(_ raw: [Double], y: [Double], n: Int, dims: Int, sq: [Double], pairs: Int,
                                grad: inout [Double]) -> Double {
        let lam = raw[0..<dims].map { exp($0) }
        let s = exp(raw[dims]), en = exp(raw[dims + 1]), noise = minimumNoise + en
        // Covariance, and d(matern)/d(r²) per pair for the length-scale gradient.
        var c = [Double](repeating: 0, count: n * n)
        var dm = [Double](repeating: 0, count: pairs)
        var kvals = [Double](repeating: 0, count: pairs)
        var p = 0
        for i in 0..<n {
            c[i * n + i] = s + noise
            for j in 0..<i {
                var r2 = 0.0
                for k in 0..<dims { r2 += lam[k] * sq[k * pairs + p] }
                let r = r2.squareRoot(), s5r = 2.23606797749979 * r, e = exp(-s5r)
                let mv = (1 + s5r + 5.0 / 3.0 * r2) * e
                kvals[p] = s * mv
                dm[p] = s * (-5.0 / 6.0) * (1 + s5r) * e
                c[i * n + j] = s * mv; c[j * n + i] = s * mv
                p += 1
            }
        }
        guard let ch = Cholesky(c, n: n) else {
            for i in grad.indices { grad[i] = 0 }
            return .infinity
        }
        let alpha = ch.solve(y)
        var quad = 0.0
        for i in 0..<n { quad += y[i] * alpha[i] }
        let mll = -0.5 * quad - 0.5 * ch.logDeterminant - 0.5 * Double(n) * log(2 * Double.pi)
        var prior = 0.0
        for k in 0..<dims { prior -= 0.1 / lam[k] + 0.1 * lam[k] }
        prior += log(s) - s
        prior += 0.1 * log(noise) - 30 * noise
        // W = ααᵀ − C⁻¹; d mll / dθ = ½ tr(W dC/dθ).
        let cinv = ch.inverse()
        var gLam = [Double](repeating: 0, count: dims)
        var gS = 0.0, gNoise = 0.0
        p = 0
        for i in 0..<n {
            let wii = alpha[i] * alpha[i] - cinv[i * n + i]
            gS += 0.5 * wii * s
            gNoise += 0.5 * wii * en
            for j in 0..<i {
                let w = alpha[i] * alpha[j] - cinv[i * n + j]   // counted twice (i, j) and (j, i)
                gS += w * kvals[p]
                let wd = w * dm[p]
                for k in 0..<dims { gLam[k] += wd * sq[k * pairs + p] }
                p += 1
            }
        }
        for k in 0..<dims {
            let dPrior = 0.1 / lam[k] - 0.1 * lam[k]
            grad[k] = -(gLam[k] * lam[k] + dPrior)
        }
        grad[dims] = -(gS + (1 - s))
        grad[dims + 1] = -(gNoise + (0.1 / noise - 30) * en)
        return -(mll + prior)
    }

    /// r² = Σⱼ λⱼ dⱼ(q, xᵢ)² between a query point and training point `i` of `X` (= `x`).
    @inline(__always) func scaledSquaredDistance(_ q: [Double], _ X: UnsafeBufferPointer<Double>, _ i: Int) -> Double {
        var r2 = 0.0
        for j in 0..<dims {
            let d = q[j] - X[i * dims + j]
            r2 += inverseSquaredLengthScales[j] * (categorical[j] ? (d != 0 ? 1 : 0) : d * d)
        }
        return r2
    }

    /// Kernel vector k(x, xᵢ) for a query point.
    func kernelVector(_ q: [Double]) -> [Double] {
        var k = [Double](repeating: 0, count: count)
        x.withUnsafeBufferPointer { X in
            for i in 0..<count {
                k[i] = kernelScale * Self.matern(scaledSquaredDistance(q, X, i))
            }
        }
        return k
    }

    /// Posterior mean and variance of the latent function at `q` (noise not included).
    public func predict(_ q: [Double]) -> (mean: Double, variance: Double) {
        let k = kernelVector(q)
        var mean = 0.0
        for i in 0..<count { mean += k[i] * alpha[i] }
        let v = cholesky.solveLower(k)
        var vv = 0.0
        for i in 0..<count { vv += v[i] * v[i] }
        return (mean, max(kernelScale - vv, 0))
    }

    /// log EI for minimization at `q` (Ament et al., "Unexpected improvements to expected
    /// improvement", arXiv:2310.20708): log σ + log h((f* − μ)/σ), h(z) = φ(z) + zΦ(z).
    /// With `gradient`, also fills ∂/∂q for numerical coordinates (0 for categorical ones).
    public func logExpectedImprovement(_ q: [Double], best: Double, gradient: UnsafeMutableBufferPointer<Double>? = nil) -> Double {
        let n = count, d = dims
        var k = [Double](repeating: 0, count: n)
        var dk = gradient == nil ? [] : [Double](repeating: 0, count: n)   // d matern/d r² · s
        x.withUnsafeBufferPointer { X in
            for i in 0..<n {
                let r2 = scaledSquaredDistance(q, X, i)
                let r = r2.squareRoot(), s5r = 2.23606797749979 * r, e = exp(-s5r)
                k[i] = kernelScale * (1 + s5r + 5.0 / 3.0 * r2) * e
                if gradient != nil { dk[i] = kernelScale * (-5.0 / 6.0) * (1 + s5r) * e }
            }
        }
        var mean = 0.0
        for i in 0..<n { mean += k[i] * alpha[i] }
        let v = cholesky.solveLower(k)
        var vv = 0.0
        for i in 0..<n { vv += v[i] * v[i] }
        let variance = max(kernelScale - vv, 1e-20)
        let sigma = variance.squareRoot()
        let z = (best - mean) / sigma
        let logH = Self.logH(z)
        let value = log(sigma) + logH
        guard let g = gradient else { return value }
        // ∂k_i/∂q_j = dk_i · 2 λ_j (q_j − x_ij); ∂μ = Σ α_i ∂k_i; ∂var = −2 Σ β_i ∂k_i, β = C⁻¹k.
        let beta = cholesky.solveUpper(v)
        let dlogh = exp(Normal.logCDF(z) - logH)     // h'(z)/h(z) = Φ(z)/h(z)
        for j in 0..<d {
            if categorical[j] { g[j] = 0; continue }
            var dMean = 0.0, dVar = 0.0
            x.withUnsafeBufferPointer { X in
                for i in 0..<n {
                    let dki = dk[i] * 2 * inverseSquaredLengthScales[j] * (q[j] - X[i * d + j])
                    dMean += alpha[i] * dki
                    dVar -= 2 * beta[i] * dki
                }
            }
            let dSigma = vv >= kernelScale ? 0 : dVar / (2 * sigma)
            let dz = (-dMean - z * dSigma) / sigma
            g[j] = dSigma / sigma + dlogh * dz
        }
        return value
    }

    /// log h(z), h(z) = φ(z) + zΦ(z), stable for very negative z (Ament et al. 2023, eq. 9).
    public static func logH(_ z: Double) -> Double {
        if z > -1 { return log(Normal.pdf(z) + z * Normal.cdf(z)) }
        let a = -z
        if a < 1e3 {
            // h(z) = φ(z) (1 − |z| √(π/2) erfcx(|z|/√2)).
            let t = a * 1.2533141373155003 * Normal.erfcx(a * 0.7071067811865476)
            return Normal.logPDF(z) + log1p(-t)
        }
        let iz2 = 1 / (z * z)
        return Normal.logPDF(z) - 2 * log(a) + log1p(-3 * iz2 + 15 * iz2 * iz2)
    }
}
