/// Eigendecomposition A = V diag(λ) Vᵀ of a real symmetric matrix by the cyclic Jacobi method
/// (Golub & Van Loan, "Matrix Computations", §8.5), accurate to machine precision and fine
/// for the small matrices of CMA-ES.
///
/// ```swift
/// let e = SymmetricEigen([2, 1, 1, 2], n: 2)
/// e.values      // [1, 3]
/// e.vectors     // columns are eigenvectors (row-major n × n)
/// ```
public struct SymmetricEigen: Sendable {
    public let n: Int
    /// Eigenvalues in ascending order.
    public let values: [Double]
    /// Eigenvectors as columns, row-major: `vectors[i * n + k]` is component i of vector k.
    public let vectors: [Double]

    public init(_ a: [Double], n: Int, maxSweeps: Int = 100) {
        precondition(a.count == n * n, "SymmetricEigen: matrix has \(a.count) entries, expected \(n)×\(n)")
        var m = a
        var v = [Double](repeating: 0, count: n * n)
        for i in 0..<n { v[i * n + i] = 1 }
        for _ in 0..<maxSweeps {
            var off = 0.0, total = 0.0
            for i in 0..<n {
                for j in 0..<n {
                    total += m[i * n + j] * m[i * n + j]
                    if i != j { off += m[i * n + j] * m[i * n + j] }
                }
            }
            if off <= 1e-30 * max(total, 1e-300) { break }
            for p in 0..<n {
                for q in (p + 1)..<max(n, p + 1) {
                    let apq = m[p * n + q]
                    if apq == 0 { continue }
                    // Rotation that zeroes m[p][q] (Golub & Van Loan Alg. 8.5.1).
                    let tau = (m[q * n + q] - m[p * n + p]) / (2 * apq)
                    let t = (tau >= 0 ? 1 : -1) / (abs(tau) + (1 + tau * tau).squareRoot())
                    let c = 1 / (1 + t * t).squareRoot(), s = t * c
                    for k in 0..<n {
                        let mkp = m[k * n + p], mkq = m[k * n + q]
                        m[k * n + p] = c * mkp - s * mkq
                        m[k * n + q] = s * mkp + c * mkq
                    }
                    for k in 0..<n {
                        let mpk = m[p * n + k], mqk = m[q * n + k]
                        m[p * n + k] = c * mpk - s * mqk
                        m[q * n + k] = s * mpk + c * mqk
                    }
                    for k in 0..<n {
                        let vkp = v[k * n + p], vkq = v[k * n + q]
                        v[k * n + p] = c * vkp - s * vkq
                        v[k * n + q] = s * vkp + c * vkq
                    }
                }
            }
        }
        let order = (0..<n).sorted { m[$0 * n + $0] < m[$1 * n + $1] }
        self.n = n
        values = order.map { m[$0 * n + $0] }
        var sortedV = [Double](repeating: 0, count: n * n)
        for (newK, k) in order.enumerated() { for i in 0..<n { sortedV[i * n + newK] = v[i * n + k] } }
        vectors = sortedV
    }
}
