import HoneCompute

extension Tensor {
    /// Fully connected layer `x · wᵀ + b` in PyTorch's layout: `x` [..., in], `weight`
    /// [out, in], `bias` [out]. One GEMM forward (bias preloaded into the output, β = 1) and
    /// two GEMMs backward (∂x = g·W, ∂W = gᵀ·x) plus a column sum for ∂b, with no transposed
    /// copies.
    ///
    /// ```swift
    /// let h = Tensor.linear(x, weight: w1, bias: b1).relu()   // [128, 784] → [128, 256]
    /// ```
    public static func linear(_ x: Tensor, weight: Tensor, bias: Tensor? = nil) -> Tensor {
        check(x.rank >= 1 && weight.rank == 2 && x.shape[x.rank - 1] == weight.shape[1],
                     "linear: input \(x.shape) and weight \(weight.shape) are incompatible (weight must be [out, in])")
        let inF = weight.shape[1], outF = weight.shape[0]
        if let bias {
            check(bias.shape == [outF], "linear: bias shape \(bias.shape) does not match weight \(weight.shape)")
        }
        let xc = x.contiguousData(), wc = weight.contiguousData()
        let rows = x.count / Swift.max(inF, 1)
        var out = Tensor(uninitializedShape: Array(x.shape.dropLast()) + [outF])
        let pc = out.base
        if out.count > 0 {
            var beta: Float = 0
            if let bias {
                let bc = bias.contiguousData()
                withExtendedLifetime(bc) {
                    for r in 0..<rows { (pc + r * outF).update(from: bc.base, count: outF) }
                }
                beta = 1
            }
            if inF == 0 {
                if beta == 0 { pc.update(repeating: 0, count: out.count) }
            } else {
                withExtendedLifetime((xc, wc)) {
                    sgemm(transA: false, transB: true, m: rows, n: outF, k: inF, alpha: 1,
                          a: xc.base, lda: inF, b: wc.base, ldb: inF, beta: beta, c: pc, ldc: outF)
                }
            }
        }
        var inputs = [x, weight]
        if let bias { inputs.append(bias) }
        if isRecording(x, weight) || (bias.map { isRecording($0) } ?? false) {
            let xd = xc.detached(), wd = wc.detached(), xShape = x.shape
            record("linear", &out, inputs) { g, needs in
                let gc = g.contiguousData()
                var gx: Tensor? = nil, gw: Tensor? = nil, gb: Tensor? = nil
                withExtendedLifetime(gc) {
                    if needs[0] {
                        let t = Tensor(uninitializedShape: xShape)
                        if t.count > 0 {
                            sgemm(transA: false, transB: false, m: rows, n: inF, k: outF, alpha: 1,
                                  a: gc.base, lda: outF, b: wd.base, ldb: inF, beta: 0, c: t.base, ldc: inF)
                        }
                        gx = t
                    }
                    if needs[1] {
                        let t = Tensor(uninitializedShape: [outF, inF])
                        if rows == 0 { t.base.update(repeating: 0, count: t.count) } else if t.count > 0 {
                            sgemm(transA: true, transB: false, m: outF, n: inF, k: rows, alpha: 1,
                                  a: gc.base, lda: outF, b: xd.base, ldb: inF, beta: 0, c: t.base, ldc: inF)
                        }
                        gw = t
                    }
                    if needs.count > 2 && needs[2] {
                        gb = Reduce.reduce(gc.viewReshaped([rows, outF]), axes: [0], SumReduce()).viewReshaped([outF])
                    }
                }
                return needs.count > 2 ? [gx, gw, gb] : [gx, gw]
            }
        }
        return out
    }
}
