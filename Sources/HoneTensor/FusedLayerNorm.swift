import HoneCompute

extension Tensor {
    /// Layer normalization (Ba et al., arXiv:1607.06450), fused: each row of the trailing
    /// `normalizedCount` elements gets `y = (x − μ)/√(σ² + ε)·w + b` (biased σ²), with `weight`
    /// and `bias` holding `normalizedCount` elements (any shape). The backward is the closed form
    /// `∂x = (1/√(σ²+ε))·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂))` with ĝ = g·w, `∂w = Σ g·x̂`, `∂b = Σ g`.
    ///
    /// ```swift
    /// let y = Tensor.layerNorm(x, normalizedCount: 64, weight: w, bias: b, epsilon: 1e-5)
    /// ```
    public static func layerNorm(_ x: Tensor, normalizedCount d: Int, weight: Tensor?, bias: Tensor?,
                                 epsilon: Float) -> Tensor {
        precondition(d > 0 && x.count % d == 0 && (x.rank > 0),
                     "layerNorm: input \(x.shape) does not end in \(d) normalized elements")
        if let weight { precondition(weight.count == d, "layerNorm: weight \(weight.shape) does not hold \(d) elements") }
        if let bias { precondition(bias.count == d, "layerNorm: bias \(bias.shape) does not hold \(d) elements") }
        let rows = x.count / d
        let xc = x.contiguousData()
        let w = weight?.scalars, b = bias?.scalars
        var out = Tensor(uninitializedShape: x.shape)
        var means = [Float](repeating: 0, count: rows), invs = [Float](repeating: 0, count: rows)
        let po = out.base
        let chunk = Swift.max(1, Parallel.elementThreshold / d)
        withExtendedLifetime(xc) {
            let px = UnsafePointer(xc.base)
            means.withUnsafeMutableBufferPointer { pm in
                invs.withUnsafeMutableBufferPointer { pi in
                    Parallel.forRange(rows, minChunk: chunk) { range in
                        for r in range {
                            let row = px + r * d, o = po + r * d
                            var s = 0.0
                            for j in 0..<d { s += Double(row[j]) }
                            let mu = Float(s / Double(d))
                            var q = 0.0
                            for j in 0..<d { let v = row[j] - mu; q += Double(v * v) }
                            let iv = 1 / (Float(q / Double(d)) + epsilon).squareRoot()
                            pm[r] = mu; pi[r] = iv
                            for j in 0..<d {
                                let xh = (row[j] - mu) * iv
                                o[j] = xh * (w?[j] ?? 1) + (b?[j] ?? 0)
                            }
                        }
                    }
                }
            }
        }
        var inputs = [x]
        if let weight { inputs.append(weight) }
        if let bias { inputs.append(bias) }
        if inputs.contains(where: { isRecording($0) }) {
            let xd = xc.detached(), hasWeight = weight != nil, hasBias = bias != nil
            let wShape = weight?.shape, bShape = bias?.shape
            let meansC = means, invsC = invs
            record("layerNorm", &out, inputs) { g, needs in
                let gc = g.contiguousData()
                let gx: Tensor? = needs[0] ? Tensor(uninitializedShape: xd.shape) : nil
                var dw = [Double](repeating: 0, count: d), db = [Double](repeating: 0, count: d)
                withExtendedLifetime((gc, xd)) {
                    let pg = UnsafePointer(gc.base), px = UnsafePointer(xd.base), pdx = gx?.base
                    for r in 0..<rows {
                        let row = px + r * d, gr = pg + r * d
                        let mu = meansC[r], iv = invsC[r]
                        var sg: Float = 0, sgx: Float = 0
                        for j in 0..<d {
                            let xh = (row[j] - mu) * iv
                            let gh = gr[j] * (w?[j] ?? 1)
                            sg += gh; sgx += gh * xh
                            dw[j] += Double(gr[j] * xh); db[j] += Double(gr[j])
                        }
                        guard let pdx else { continue }
                        let mg = sg / Float(d), mgx = sgx / Float(d)
                        for j in 0..<d {
                            let xh = (row[j] - mu) * iv
                            pdx[r * d + j] = iv * (gr[j] * (w?[j] ?? 1) - mg - xh * mgx)
                        }
                    }
                }
                var grads: [Tensor?] = [gx]
                if hasWeight { grads.append(needs[grads.count] ? Tensor(shape: wShape!, scalars: dw.map { Float($0) }) : nil) }
                if hasBias { grads.append(needs[grads.count] ? Tensor(shape: bShape!, scalars: db.map { Float($0) }) : nil) }
                return grads
            }
        }
        return out
    }
}
