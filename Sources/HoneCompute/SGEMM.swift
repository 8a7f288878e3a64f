/// Single-precision general matrix multiply (BLAS `sgemm` semantics, row-major):
/// `C = alpha · op(A) · op(B) + beta · C`, where `op(X) = Xᵀ` when the matching `trans` flag
/// is set. `op(A)` is m×k, `op(B)` is k×n, `C` is m×n; `lda`, `ldb`, `ldc` are row strides in
/// elements. With `beta == 0` the previous contents of `C` are ignored (they may be NaN).
///
/// ```swift
/// // C (2×2) = A (2×3) · B (3×2)
/// sgemm(transA: false, transB: false, m: 2, n: 2, k: 3, alpha: 1,
///       a: a, lda: 3, b: b, ldb: 2, beta: 0, c: c, ldc: 2)
/// ```
public func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                  a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                  beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
    sgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
          a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc, isa: InstructionSet.active)
}

/// `sgemm` on a chosen instruction-set path (clamped to what the CPU supports). Public so that
/// tests and benchmarks can force the generic, AVX2 and AVX-512 paths and compare them.
public func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                  a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                  beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, isa: InstructionSet) {
    precondition(m >= 0 && n >= 0 && k >= 0, "sgemm: negative size m=\(m) n=\(n) k=\(k)")
    precondition(ldc >= max(1, n), "sgemm: ldc=\(ldc) < n=\(n)")
    precondition(lda >= max(1, transA ? m : k), "sgemm: lda=\(lda) too small for op(A) \(m)×\(k) transA=\(transA)")
    precondition(ldb >= max(1, transB ? k : n), "sgemm: ldb=\(ldb) too small for op(B) \(k)×\(n) transB=\(transB)")
    if m == 0 || n == 0 { return }
    if k == 0 || alpha == 0 {
        scaleRows(m: m, n: n, beta: beta, c: c, ldc: ldc)
        return
    }
    let aOp = transA ? GEMMDriver.Operand(base: a, rowStride: 1, colStride: lda)
                     : GEMMDriver.Operand(base: a, rowStride: lda, colStride: 1)
    let bOp = transB ? GEMMDriver.Operand(base: b, rowStride: 1, colStride: ldb)
                     : GEMMDriver.Operand(base: b, rowStride: ldb, colStride: 1)
    GEMMDriver.run(m: m, n: n, k: k, alpha: alpha, a: aOp, b: bOp, beta: beta, c: c, ldc: ldc, isa: isa)
}

/// C = beta · C (beta == 0 writes zeros without reading C).
private func scaleRows(m: Int, n: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
    if beta == 1 { return }
    Compute.parallelFor(m, minChunk: max(1, 16384 / n)) { rows in
        for i in rows {
            let ci = c + i * ldc
            if beta == 0 {
                ci.update(repeating: 0, count: n)
            } else {
                for j in 0..<n { ci[j] *= beta }
            }
        }
    }
}
