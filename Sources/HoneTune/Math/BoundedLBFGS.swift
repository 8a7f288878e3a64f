/// Box-constrained quasi-Newton minimization: L-BFGS (Nocedal 1980; Nocedal & Wright,
/// "Numerical Optimization", Alg. 7.4) with the search direction projected onto the box
/// (variables at a bound whose gradient points outward are frozen for the step) and a
/// backtracking Armijo line search along the projected path — a simple stand-in for
/// L-BFGS-B (Byrd et al. 1995) that is adequate for the smooth, low-dimensional problems
/// of GP fitting and acquisition maximization.
///
/// ```swift
/// let r = BoundedLBFGS.minimize(x0: [0.5], lower: [0], upper: [1]) { x, g in
///     g[0] = 2 * (x[0] - 0.3); return (x[0] - 0.3) * (x[0] - 0.3)
/// }   // r.x ≈ [0.3]
/// ```
public enum BoundedLBFGS {
    public struct Result: Sendable { public var x: [Double]; public var value: Double; public var iterations: Int }

    public static func minimize(x0: [Double], lower: [Double], upper: [Double],
                                memory: Int = 8, maxIterations: Int = 100, gradientTolerance: Double = 1e-7,
                                relativeTolerance: Double = 1e-10,
                                _ f: (_ x: [Double], _ grad: inout [Double]) -> Double) -> Result {
        let n = x0.count
        var x = zip(zip(x0, lower), upper).map { min(max($0.0, $0.1), $1) }
        var g = [Double](repeating: 0, count: n)
        var fx = f(x, &g)
        var sHist: [[Double]] = [], yHist: [[Double]] = [], rhoHist: [Double] = []
        var it = 0
        func projectedGradientNorm(_ x: [Double], _ g: [Double]) -> Double {
            var m = 0.0
            for i in 0..<n {
                let p = min(max(x[i] - g[i], lower[i]), upper[i]) - x[i]
                m = max(m, abs(p))
            }
            return m
        }
        while it < maxIterations {
            it += 1
            if !fx.isFinite || projectedGradientNorm(x, g) < gradientTolerance { break }
            // Free variables: not at a bound with the gradient pushing outward.
            var free = [Bool](repeating: true, count: n)
            for i in 0..<n {
                if (x[i] <= lower[i] && g[i] > 0) || (x[i] >= upper[i] && g[i] < 0) { free[i] = false }
            }
            // Two-loop recursion on the free subspace.
            var q = (0..<n).map { free[$0] ? g[$0] : 0 }
            var alpha = [Double](repeating: 0, count: sHist.count)
            for k in stride(from: sHist.count - 1, through: 0, by: -1) {
                var a = 0.0
                for i in 0..<n where free[i] { a += sHist[k][i] * q[i] }
                a *= rhoHist[k]; alpha[k] = a
                for i in 0..<n where free[i] { q[i] -= a * yHist[k][i] }
            }
            if let s = sHist.last, let y = yHist.last {
                var sy = 0.0, yy = 0.0
                for i in 0..<n { sy += s[i] * y[i]; yy += y[i] * y[i] }
                let gamma = yy > 0 ? sy / yy : 1
                for i in 0..<n { q[i] *= gamma }
            }
            for k in 0..<sHist.count {
                var b = 0.0
                for i in 0..<n where free[i] { b += yHist[k][i] * q[i] }
                b *= rhoHist[k]
                for i in 0..<n where free[i] { q[i] += sHist[k][i] * (alpha[k] - b) }
            }
            var d = (0..<n).map { free[$0] ? -q[$0] : 0 }
            var dg = 0.0
            for i in 0..<n { dg += d[i] * g[i] }
            if !(dg < 0) {
                // Not a descent direction: fall back to steepest descent and reset memory.
                d = (0..<n).map { free[$0] ? -g[$0] : 0 }
                dg = 0; for i in 0..<n { dg += d[i] * g[i] }
                sHist.removeAll(); yHist.removeAll(); rhoHist.removeAll()
                if !(dg < 0) { break }
            }
            // Without curvature information, cap the first move at 1 in the largest coordinate.
            var step = 1.0
            if sHist.isEmpty {
                var dn = 0.0
                for v in d { dn = max(dn, abs(v)) }
                if dn > 0 { step = min(1, 1 / dn) }
            }
            var accepted = false
            var xNew = x, gNew = g, fNew = fx
            for _ in 0..<30 {
                var dgp = 0.0
                for i in 0..<n {
                    xNew[i] = min(max(x[i] + step * d[i], lower[i]), upper[i])
                    dgp += (xNew[i] - x[i]) * g[i]
                }
                fNew = f(xNew, &gNew)
                if fNew.isFinite && fNew <= fx + 1e-4 * dgp { accepted = true; break }
                step *= 0.5
            }
            if !accepted { break }
            var s = [Double](repeating: 0, count: n), y = [Double](repeating: 0, count: n)
            var sy = 0.0
            for i in 0..<n { s[i] = xNew[i] - x[i]; y[i] = gNew[i] - g[i]; sy += s[i] * y[i] }
            let improvement = fx - fNew
            x = xNew; g = gNew; fx = fNew
            if sy > 1e-12 {
                sHist.append(s); yHist.append(y); rhoHist.append(1 / sy)
                if sHist.count > memory { sHist.removeFirst(); yHist.removeFirst(); rhoHist.removeFirst() }
            }
            if improvement <= relativeTolerance * max(abs(fx), 1) { break }
        }
        return Result(x: x, value: fx, iterations: it)
    }
}
