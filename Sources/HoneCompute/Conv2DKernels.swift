import HoneKernels

/// 2-D convolution (cross-correlation, as in PyTorch) lowered to GEMM through im2col:
/// for each image and group, `col` (patchSize × outPixels) holds the receptive fields, so
/// forward is `Y_g = W_g · col`, backward-input is `col2im(W_gᵀ · dY_g)` and backward-weight
/// is `dW_g = Σ_images dY_g · colᵀ` (Chellapilla et al., 2006, "High Performance
/// Convolutional Neural Networks for Document Processing").
///
/// Threads split the batch (each image's GEMMs then run serially on its thread, with
/// per-thread im2col scratch); with fewer images than threads the GEMMs themselves are
/// parallel instead. Weight gradients are summed per batch chunk and the chunks are added in
/// a fixed order, so results are identical run to run at a given thread count.
/// A 1×1, stride-1, unpadded convolution skips im2col (the input already is `col`).
///
/// ```swift
/// Conv2DKernels.forward(g, input: x, weight: w, bias: b, output: y)
/// Conv2DKernels.backwardInput(g, gradOutput: dy, weight: w, gradInput: dx)
/// Conv2DKernels.backwardWeight(g, input: x, gradOutput: dy, gradWeight: dw, gradBias: db)
/// ```
public enum Conv2DKernels {
    /// output = conv(input, weight) + bias (bias optional, length outChannels). Overwrites output.
    public static func forward(_ g: Conv2DGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                               bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>) {
        g.validate("Conv2DKernels.forward")
        let og = g.groupOutChannels, K = g.patchSize, P = g.outPixels
        overImages(g) { images in
            let col = g.isPointwise ? nil : scratch(slot: 2, floats: K * P)
            for n in images {
                for grp in 0..<g.groups {
                    let x = input + g.inputOffset(image: n, group: grp)
                    let y = output + (n * g.outChannels + grp * og) * P
                    if let bias {
                        for o in 0..<og { (y + o * P).update(repeating: bias[grp * og + o], count: P) }
                    }
                    var b = x
                    if let col {
                        Im2Col.pack(g, image: x, col: col)
                        b = UnsafePointer(col)
                    }
                    sgemm(transA: false, transB: false, m: og, n: P, k: K, alpha: 1,
                          a: weight + grp * og * K, lda: K, b: b, ldb: P,
                          beta: bias == nil ? 0 : 1, c: y, ldc: P)
                }
            }
        }
    }

    /// gradInput = ∂L/∂input given ∂L/∂output. Overwrites gradInput.
    public static func backwardInput(_ g: Conv2DGeometry, gradOutput: UnsafePointer<Float>,
                                     weight: UnsafePointer<Float>, gradInput: UnsafeMutablePointer<Float>) {
        g.validate("Conv2DKernels.backwardInput")
        let og = g.groupOutChannels, K = g.patchSize, P = g.outPixels
        let imageSize = g.inChannels * g.height * g.width
        overImages(g) { images in
            let col = g.isPointwise ? nil : scratch(slot: 2, floats: K * P)
            for n in images {
                if col != nil { (gradInput + n * imageSize).update(repeating: 0, count: imageSize) }
                for grp in 0..<g.groups {
                    let dx = gradInput + g.inputOffset(image: n, group: grp)
                    let dy = gradOutput + (n * g.outChannels + grp * og) * P
                    sgemm(transA: true, transB: false, m: K, n: P, k: og, alpha: 1,
                          a: weight + grp * og * K, lda: K, b: dy, ldb: P,
                          beta: 0, c: col ?? dx, ldc: P)
                    if let col { Im2Col.accumulate(g, col: col, image: dx) }
                }
            }
        }
    }

    /// gradWeight (and gradBias if non-nil) given input and ∂L/∂output. Overwrites both.
    public static func backwardWeight(_ g: Conv2DGeometry, input: UnsafePointer<Float>,
                                      gradOutput: UnsafePointer<Float>, gradWeight: UnsafeMutablePointer<Float>,
                                      gradBias: UnsafeMutablePointer<Float>?) {
        g.validate("Conv2DKernels.backwardWeight")
        let og = g.groupOutChannels, K = g.patchSize, P = g.outPixels
        let wCount = g.outChannels * K
        // Orientation: dW_g (og × K) = dY_g · colᵀ, or its transpose col · dY_gᵀ (K × og) when
        // that wastes less of the micro-kernel's tiles (e.g. 1-channel inputs, K = 9).
        let transposed = GEMMDriver.paddedTiles(m: K, n: og) < GEMMDriver.paddedTiles(m: og, n: K)
        let chunks = g.batch >= Compute.threadCount && !Compute.insideParallelRegion ? Compute.threadCount : 1
        let partials = chunks == 1 ? gradWeight : UnsafeMutablePointer<Float>.allocate(capacity: chunks * wCount)
        let biasPartials = gradBias.map { chunks == 1 ? $0 : UnsafeMutablePointer<Float>.allocate(capacity: chunks * g.outChannels) }
        defer {
            if chunks > 1 { partials.deallocate(); biasPartials?.deallocate() }
        }
        Compute.forEachWorker(chunks) { chunk in
            let images = (chunk * g.batch / chunks)..<((chunk + 1) * g.batch / chunks)
            let dw = partials + chunk * wCount
            let col = g.isPointwise ? nil : scratch(slot: 2, floats: K * P)
            let dwT = transposed ? scratch(slot: 3, floats: wCount) : nil
            let acc = dwT ?? dw
            acc.update(repeating: 0, count: wCount)
            for n in images {
                for grp in 0..<g.groups {
                    var x = input + g.inputOffset(image: n, group: grp)
                    if let col {
                        Im2Col.pack(g, image: x, col: col)
                        x = UnsafePointer(col)
                    }
                    let dy = gradOutput + (n * g.outChannels + grp * og) * P
                    if transposed {   // acc holds per group a K × og block
                        sgemm(transA: false, transB: true, m: K, n: og, k: P, alpha: 1,
                              a: x, lda: P, b: dy, ldb: P, beta: 1, c: acc + grp * og * K, ldc: og)
                    } else {
                        sgemm(transA: false, transB: true, m: og, n: K, k: P, alpha: 1,
                              a: dy, lda: P, b: x, ldb: P, beta: 1, c: acc + grp * og * K, ldc: K)
                    }
                }
            }
            if let dwT {
                for grp in 0..<g.groups {
                    let src = dwT + grp * og * K, dst = dw + grp * og * K
                    for o in 0..<og { for r in 0..<K { dst[o * K + r] = src[r * og + o] } }
                }
            }
            if let biasPartials {
                let db = biasPartials + chunk * g.outChannels
                db.update(repeating: 0, count: g.outChannels)
                for n in images {
                    hone_row_sums_add(gradOutput + n * g.outChannels * P, Int64(g.outChannels), Int64(P), db)
                }
            }
        }
        if chunks > 1 {   // fixed-order reduction of the per-chunk partial sums
            gradWeight.update(from: partials, count: wCount)
            for c in 1..<chunks {
                let src = partials + c * wCount
                for i in 0..<wCount { gradWeight[i] += src[i] }
            }
            if let gradBias, let biasPartials {
                gradBias.update(from: biasPartials, count: g.outChannels)
                for c in 1..<chunks {
                    for o in 0..<g.outChannels { gradBias[o] += biasPartials[c * g.outChannels + o] }
                }
            }
        }
    }

    /// Runs `body` over the batch: split across threads when there are at least as many
    /// images as threads, else serially (the GEMMs inside then use the threads).
    private static func overImages(_ g: Conv2DGeometry, _ body: (Range<Int>) -> Void) {
        if g.batch >= Compute.threadCount {
            Compute.parallelFor(g.batch, minChunk: 1, body)
        } else {
            body(0..<g.batch)
        }
    }

    /// Calling thread's reusable scratch of `floats` floats.
    private static func scratch(slot: Int32, floats: Int) -> UnsafeMutablePointer<Float> {
        hone_scratch(slot, Int64(max(1, floats) * MemoryLayout<Float>.stride))!
    }
}

extension Conv2DGeometry {
    /// 1×1 kernel, stride 1, no padding: the input planes are already the im2col matrix.
    var isPointwise: Bool {
        kernelH == 1 && kernelW == 1 && strideH == 1 && strideW == 1 && padH == 0 && padW == 0
    }

    /// Element offset of image `n`, group `grp`'s first input channel.
    func inputOffset(image n: Int, group grp: Int) -> Int {
        (n * inChannels + grp * groupInChannels) * height * width
    }
}
