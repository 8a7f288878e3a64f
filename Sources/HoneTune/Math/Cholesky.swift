/// Cholesky factorization A = L Lᵀ of a symmetric positive-definite matrix (row-major, n×n),
/// with triangular solves. Used by the GP sampler (Rasmussen & Williams 2006, Alg. 2.1).
///
/// ```swift
/// let c = Cholesky([4, 2, 2, 3], n: 2)!     // L = [[2, 0], [1, √2]]
/// c.solve([2, 1])                           // A⁻¹ b
/// ```
public struct Cholesky: Sendable {
    public let n: Int
    /// Lower factor, row-major; the upper triangle is zero.
    public private(set) var lower: [Double]

    /// Factorizes `a`; nil when it is not (numerically) positive definite.
    public init?(_ a: [Double], n: Int) {
        precondition(a.count == n * n, "Cholesky: matrix has \(a.count) entries, expected \(n)×\(n)")
        self.n = n
        var l = [Double](repeating: 0, count: n * n)
        let ok = l.withUnsafeMutableBufferPointer { L -> Bool in
            a.withUnsafeBufferPointer { A in
                for j in 0..<n {
                    var d = A[j * n + j]
                    for k in 0..<j { d -= L[j * n + k] * L[j * n + k] }
                    if !(d > 0) { return false }
                    let ljj = d.squareRoot()
                    L[j * n + j] = ljj
                    let inv = 1 / ljj
                    for i in (j + 1)..<max(n, j + 1) {
                        var s = A[i * n + j]
                        for k in 0..<j { s -= L[i * n + k] * L[j * n + k] }
                        L[i * n + j] = s * inv
                    }
                }
                return true
            }
        }
        if !ok { return nil }
        lower = l
    }

    /// Solves L y = b.
    public func solveLower(_ b: [Double]) -> [Double] {
        var y = b
        lower.withUnsafeBufferPointer { L in
            for i in 0..<n {
                var s = y[i]
                for k in 0..<i { s -= L[i * n + k] * y[k] }
                y[i] = s / L[i * n + i]
            }
        }
        return y
    }

    /// Solves Lᵀ x = y.
    public func solveUpper(_ y: [Double]) -> [Double] {
        var x = y
        lower.withUnsafeBufferPointer { L in
            for i in stride(from: n - 1, through: 0, by: -1) {
                var s = x[i]
                for k in (i + 1)..<max(n, i + 1) { s -= L[k * n + i] * x[k] }
                x[i] = s / L[i * n + i]
            }
        }
        return x
    }

    /// Solves A x = b.
    public func solve(_ b: [Double]) -> [Double] { solveUpper(solveLower(b)) }

    /// log det A = 2 Σ log Lᵢᵢ.
    public var logDeterminant: Double {
        var s = 0.0
        for i in 0..<n { s += logE(lower[i * n + i]) }
        return 2 * s
    }

    /// A⁻¹ (row-major), from L⁻¹: A⁻¹ = L⁻ᵀ L⁻¹.
    public func inverse() -> [Double] {
        // Invert L in place (lower triangular), then form L⁻ᵀ L⁻¹.
        var m = [Double](repeating: 0, count: n * n)
        lower.withUnsafeBufferPointer { L in
            m.withUnsafeMutableBufferPointer { M in
                for i in 0..<n {
                    M[i * n + i] = 1 / L[i * n + i]
                    for j in 0..<i {
                        var s = 0.0
                        for k in j..<i { s -= L[i * n + k] * M[k * n + j] }
                        M[i * n + j] = s / L[i * n + i]
                    }
                }
            }
        }
        var out = [Double](repeating: 0, count: n * n)
        m.withUnsafeBufferPointer { M in
            out.withUnsafeMutableBufferPointer { O in
                for i in 0..<n {
                    for j in 0...i {
                        var s = 0.0
                        for k in i..<n { s += M[k * n + i] * M[k * n + j] }
                        O[i * n + j] = s; O[j * n + i] = s
                    }
                }
            }
        }
        return out
    }
}
