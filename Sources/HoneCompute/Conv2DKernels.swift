/// 2-D convolution (cross-correlation, as in PyTorch) lowered to GEMM through im2col:
/// for each image and group, `col` (patchSize × outPixels) holds the receptive fields, so
/// forward is `Y_g = W_g · col`, backward-input is `col2im(W_gᵀ · dY_g)` and backward-weight
/// is `dW_g = Σ_images dY_g · colᵀ` (Chellapilla et al., 2006, "High Performance
/// Convolutional Neural Networks for Document Processing").
///
/// ```swift
/// Conv2DKernels.forward(g, input: x, weight: w, bias: b, output: y)
/// ```
public enum Conv2DKernels {
    /// output = conv(input, weight) + bias (bias optional, length outChannels). Overwrites output.
    public static func forward(_ g: Conv2DGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                               bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>) {
        g.validate("Conv2DKernels.forward")
        let og = g.groupOutChannels, K = g.patchSize, P = g.outPixels
        let col = UnsafeMutablePointer<Float>.allocate(capacity: K * P)
        defer { col.deallocate() }
        for n in 0..<g.batch {
            for grp in 0..<g.groups {
                Im2Col.pack(g, image: input + (n * g.inChannels + grp * g.groupInChannels) * g.height * g.width, col: col)
                let y = output + (n * g.outChannels + grp * og) * P
                if let bias {
                    for o in 0..<og {
                        let bv = bias[grp * og + o]
                        for p in 0..<P { y[o * P + p] = bv }
                    }
                }
                sgemm(transA: false, transB: false, m: og, n: P, k: K, alpha: 1,
                      a: weight + grp * og * K, lda: K, b: col, ldb: P,
                      beta: bias == nil ? 0 : 1, c: y, ldc: P)
            }
        }
    }

    /// gradInput = ∂L/∂input given ∂L/∂output. Overwrites gradInput.
    public static func backwardInput(_ g: Conv2DGeometry, gradOutput: UnsafePointer<Float>,
                                     weight: UnsafePointer<Float>, gradInput: UnsafeMutablePointer<Float>) {
        g.validate("Conv2DKernels.backwardInput")
        let og = g.groupOutChannels, K = g.patchSize, P = g.outPixels
        let col = UnsafeMutablePointer<Float>.allocate(capacity: K * P)
        defer { col.deallocate() }
        gradInput.update(repeating: 0, count: g.batch * g.inChannels * g.height * g.width)
        for n in 0..<g.batch {
            for grp in 0..<g.groups {
                sgemm(transA: true, transB: false, m: K, n: P, k: og, alpha: 1,
                      a: weight + grp * og * K, lda: K, b: gradOutput + (n * g.outChannels + grp * og) * P, ldb: P,
                      beta: 0, c: col, ldc: P)
                Im2Col.accumulate(g, col: col, image: gradInput + (n * g.inChannels + grp * g.groupInChannels) * g.height * g.width)
            }
        }
    }

    /// gradWeight (and gradBias if non-nil) given input and ∂L/∂output. Overwrites both.
    public static func backwardWeight(_ g: Conv2DGeometry, input: UnsafePointer<Float>,
                                      gradOutput: UnsafePointer<Float>, gradWeight: UnsafeMutablePointer<Float>,
                                      gradBias: UnsafeMutablePointer<Float>?) {
        g.validate("Conv2DKernels.backwardWeight")
        let og = g.groupOutChannels, K = g.patchSize, P = g.outPixels
        let col = UnsafeMutablePointer<Float>.allocate(capacity: K * P)
        defer { col.deallocate() }
        gradWeight.update(repeating: 0, count: g.outChannels * K)
        gradBias?.update(repeating: 0, count: g.outChannels)
        for n in 0..<g.batch {
            for grp in 0..<g.groups {
                Im2Col.pack(g, image: input + (n * g.inChannels + grp * g.groupInChannels) * g.height * g.width, col: col)
                let dy = gradOutput + (n * g.outChannels + grp * og) * P
                sgemm(transA: false, transB: true, m: og, n: K, k: P, alpha: 1,
                      a: dy, lda: P, b: col, ldb: P, beta: 1, c: gradWeight + grp * og * K, ldc: K)
                if let gradBias {
                    for o in 0..<og {
                        var s: Float = 0
                        for p in 0..<P { s += dy[o * P + p] }
                        gradBias[grp * og + o] += s
                    }
                }
            }
        }
    }
}
