import HoneCompute

extension Tensor {
    /// Batch normalization in training mode (Ioffe & Szegedy, arXiv:1502.03167), fused:
    /// per channel (axis 1 of `x` [N, C, …]) the batch mean μ and biased variance σ² over the
    /// other axes, then `y = γ·(x − μ)/√(σ² + ε) + β`. One pass for the statistics (Double
    /// accumulators), one to normalize; the backward is the closed form
    /// `∂x = γ/√(σ²+ε) · (g − mean(g) − x̂·mean(g·x̂))`, `∂γ = Σ g·x̂`, `∂β = Σ g`, in two passes.
    /// Returns the output and the batch statistics (for running averages).
    ///
    /// ```swift
    /// let (y, mean, variance) = Tensor.batchNormTraining(x, weight: gamma, bias: beta, epsilon: 1e-5)
    /// ```
    public static func batchNormTraining(_ x: Tensor, weight: Tensor?, bias: Tensor?,
                                         epsilon: Float) -> (output: Tensor, mean: [Float], variance: [Float]) {
        precondition(x.rank >= 2, "batchNormTraining: input must be [N, C, …], got \(x.shape)")
        let n = x.shape[0], c = x.shape[1], s = x.count / Swift.max(n * c, 1)
        if let weight { precondition(weight.shape == [c], "batchNormTraining: weight \(weight.shape) does not match \(c) channels of \(x.shape)") }
        if let bias { precondition(bias.shape == [c], "batchNormTraining: bias \(bias.shape) does not match \(c) channels of \(x.shape)") }
        let m = n * s
        precondition(m > 0, "batchNormTraining: no values per channel in input \(x.shape)")
        let xc = x.contiguousData()
        let gamma = weight.map { $0.scalars } ?? [Float](repeating: 1, count: c)
        let beta = bias.map { $0.scalars } ?? [Float](repeating: 0, count: c)
        var mean = [Float](repeating: 0, count: c), variance = [Float](repeating: 0, count: c)
        var inv = [Float](repeating: 0, count: c)
        var out = Tensor(uninitializedShape: x.shape)
        let po = out.base
        let chunk = Swift.max(1, Parallel.elementThreshold / Swift.max(m, 1))
        withExtendedLifetime(xc) {
            let px = UnsafePointer(xc.base)
            mean.withUnsafeMutableBufferPointer { pm in
                variance.withUnsafeMutableBufferPointer { pv in
                    inv.withUnsafeMutableBufferPointer { pi in
                        Parallel.forRange(c, minChunk: chunk) { r in
                            for ch in r {
                                var sum = 0.0
                                for i in 0..<n {
                                    let p = px + (i * c + ch) * s
                                    var part: Float = 0
                                    for j in 0..<s { part += p[j] }
                                    sum += Double(part)
                                }
                                let mu = Float(sum / Double(m))
                                var sq = 0.0
                                for i in 0..<n {
                                    let p = px + (i * c + ch) * s
                                    var part: Float = 0
                                    for j in 0..<s { let d = p[j] - mu; part += d * d }
                                    sq += Double(part)
                                }
                                let v = Float(sq / Double(m))
                                let iv = 1 / (v + epsilon).squareRoot()
                                pm[ch] = mu; pv[ch] = v; pi[ch] = iv
                                let a = gamma[ch] * iv, b = beta[ch] - mu * a
                                for i in 0..<n {
                                    let p = px + (i * c + ch) * s, q = po + (i * c + ch) * s
                                    for j in 0..<s { q[j] = p[j] * a + b }
                                }
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
            let meanC = mean, invC = inv
            record("batchNormTraining", &out, inputs) { g, needs in
                let gc = g.contiguousData()
                var sumG = [Float](repeating: 0, count: c), sumGX = [Float](repeating: 0, count: c)
                let gx: Tensor? = needs[0] ? Tensor(uninitializedShape: xd.shape) : nil
                withExtendedLifetime((gc, xd)) {
                    let pg = UnsafePointer(gc.base), px = UnsafePointer(xd.base), pdx = gx?.base
                    sumG.withUnsafeMutableBufferPointer { psg in
                        sumGX.withUnsafeMutableBufferPointer { psx in
                            Parallel.forRange(c, minChunk: chunk) { r in
                                for ch in r {
                                    let mu = meanC[ch], iv = invC[ch]
                                    var a = 0.0, b = 0.0
                                    for i in 0..<n {
                                        let o = (i * c + ch) * s
                                        var pa: Float = 0, pb: Float = 0
                                        for j in 0..<s { let gv = pg[o + j]; pa += gv; pb += gv * (px[o + j] - mu) }
                                        a += Double(pa); b += Double(pb)
                                    }
                                    let sg = Float(a), sgx = Float(b) * iv
                                    psg[ch] = sg; psx[ch] = sgx
                                    guard let pdx else { continue }
                                    let k = gamma[ch] * iv, mg = sg / Float(m), mgx = sgx / Float(m)
                                    for i in 0..<n {
                                        let o = (i * c + ch) * s
                                        for j in 0..<s {
                                            let xh = (px[o + j] - mu) * iv
                                            pdx[o + j] = k * (pg[o + j] - mg - xh * mgx)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                var grads: [Tensor?] = [gx]
                if hasWeight { grads.append(needs[grads.count] ? Tensor(shape: [c], scalars: sumGX) : nil) }
                if hasBias { grads.append(needs[grads.count] ? Tensor(shape: [c], scalars: sumG) : nil) }
                return grads
            }
        }
        return (out, mean, variance)
    }
}
