import HoneKernels

/// 2-D convolution (cross-correlation, as in PyTorch) lowered to GEMM through im2col
/// (Chellapilla, Puri & Simard, 2006, "High Performance Convolutional Neural Networks for
/// Document Processing"). Per group, `col` (patchSize × pixels) holds receptive fields, so
/// forward is `Y_g = W_g · col`, backward-input is `col2im(W_gᵀ · dY_g)` and backward-weight
/// is `dW_g = Σ dY_g · colᵀ`.
///
/// Several images are lowered side by side into one `col` (≈ 512 KB per thread), so each GEMM
/// is wide (n = pixels × images), the weights are packed once per image group and short
/// per-image GEMMs are avoided. Threads split the batch, each with its own scratch; with fewer
/// images than threads the GEMMs themselves are parallel instead. Weight gradients are summed
/// per batch chunk and the chunks added in a fixed order, so results are identical run to run
/// at a given thread count. A 1×1, stride-1, unpadded convolution skips im2col. On the AVX-512
/// path, stride-1 layers with enough channels take `ImplicitConv` instead (the same products
/// without forming im2col: B panels packed straight from the image, ∂col added back per panel).
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
        if ImplicitConv.applies(g, depth: g.patchSize) {
            ImplicitConv.forward(g, input: input, weight: weight, bias: bias, output: output)
            return
        }
        let og = g.groupOutChannels, K = g.patchSize, P = g.outPixels
        overImages(g) { images in
            forEachImageGroup(g, images) { first, count in
                let N = P * count
                let col = scratch(slot: 2, floats: K * N)
                for grp in 0..<g.groups {
                    let b = gatherInputs(g, input, first: first, count: count, group: grp, into: col)
                    if count == 1 {   // one image: the GEMM writes the output planes in place
                        let y = output + (first * g.outChannels + grp * og) * P
                        if let bias { for o in 0..<og { (y + o * P).update(repeating: bias[grp * og + o], count: P) } }
                        sgemm(transA: false, transB: false, m: og, n: P, k: K, alpha: 1, a: weight + grp * og * K, lda: K,
                              b: b, ldb: P, beta: bias == nil ? 0 : 1, c: y, ldc: P)
                        continue
                    }
                    let tmp = scratch(slot: 3, floats: og * N)
                    sgemm(transA: false, transB: false, m: og, n: N, k: K, alpha: 1,
                          a: weight + grp * og * K, lda: K, b: b, ldb: N, beta: 0, c: tmp, ldc: N)
                    for i in 0..<count {
                        let y = output + ((first + i) * g.outChannels + grp * og) * P
                        hone_copy_rows_bias(tmp + i * P, Int64(N), y, Int64(P), Int64(og), Int64(P),
                                            bias.map { $0 + grp * og })
                    }
                }
            }
        }
    }

    /// gradInput = ∂L/∂input given ∂L/∂output. Overwrites gradInput.
    public static func backwardInput(_ g: Conv2DGeometry, gradOutput: UnsafePointer<Float>,
                                     weight: UnsafePointer<Float>, gradInput: UnsafeMutablePointer<Float>) {
        g.validate("Conv2DKernels.backwardInput")
        if ImplicitConv.applies(g, depth: g.groupOutChannels) {
            ImplicitConv.backwardInput(g, gradOutput: gradOutput, weight: weight, gradInput: gradInput)
            return
        }
        let og = g.groupOutChannels, K = g.patchSize, P = g.outPixels
        let imageSize = g.inChannels * g.height * g.width
        overImages(g) { images in
            forEachImageGroup(g, images) { first, count in
                let N = P * count
                let col = scratch(slot: 2, floats: K * N)
                if !g.isPointwise { (gradInput + first * imageSize).update(repeating: 0, count: count * imageSize) }
                for grp in 0..<g.groups {
                    let dy = gatherGradOutput(g, gradOutput, first: first, count: count, group: grp)
                    if count == 1 && g.isPointwise {   // the GEMM writes ∂input in place
                        sgemm(transA: true, transB: false, m: K, n: P, k: og, alpha: 1, a: weight + grp * og * K, lda: K,
                              b: dy, ldb: P, beta: 0, c: gradInput + g.inputOffset(image: first, group: grp), ldc: P)
                        continue
                    }
                    sgemm(transA: true, transB: false, m: K, n: N, k: og, alpha: 1,
                          a: weight + grp * og * K, lda: K, b: dy, ldb: N, beta: 0, c: col, ldc: N)
                    for i in 0..<count {
                        let dx = gradInput + g.inputOffset(image: first + i, group: grp)
                        if g.isPointwise {
                            hone_copy_rows_bias(col + i * P, Int64(N), dx, Int64(P), Int64(K), Int64(P), nil)
                        } else {
                            Im2Col.accumulate(g, col: col + i * P, ldcol: N, image: dx)
                        }
                    }
                }
            }
        }
    }

    /// gradWeight (and gradBias if non-nil) given input and ∂L/∂output. Overwrites both.
    public static func backwardWeight(_ g: Conv2DGeometry, input: UnsafePointer<Float>,
                                      gradOutput: UnsafePointer<Float>, gradWeight: UnsafeMutablePointer<Float>,
                                      gradBias: UnsafeMutablePointer<Float>?) {
        g.validate("Conv2DKernels.backwardWeight")
        if ImplicitConv.appliesToWeightGradient(g) {
            ImplicitConv.backwardWeight(g, input: input, gradOutput: gradOutput, gradWeight: gradWeight, gradBias: gradBias)
            return
        }
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
            let dwT = transposed ? scratch(slot: 4, floats: wCount) : nil
            let acc = dwT ?? dw
            acc.update(repeating: 0, count: wCount)
            forEachImageGroup(g, images) { first, count in
                let N = P * count
                let scratchCol = scratch(slot: 2, floats: K * N)
                for grp in 0..<g.groups {
                    let col = gatherInputs(g, input, first: first, count: count, group: grp, into: scratchCol)
                    let dyCat = gatherGradOutput(g, gradOutput, first: first, count: count, group: grp)
                    if transposed {   // acc holds per group a K × og block
                        sgemm(transA: false, transB: true, m: K, n: og, k: N, alpha: 1,
                              a: col, lda: N, b: dyCat, ldb: N, beta: 1, c: acc + grp * og * K, ldc: og)
                    } else {
                        sgemm(transA: false, transB: true, m: og, n: K, k: N, alpha: 1,
                              a: dyCat, lda: N, b: col, ldb: N, beta: 1, c: acc + grp * og * K, ldc: K)
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

    /// Lowers images `first ..< first+count`, group `grp`, into `col` (patchSize × count·P) and
    /// returns it; a single pointwise image is its own im2col matrix and is returned in place.
    private static func gatherInputs(_ g: Conv2DGeometry, _ input: UnsafePointer<Float>, first: Int, count: Int,
                                     group grp: Int, into col: UnsafeMutablePointer<Float>) -> UnsafePointer<Float> {
        let P = g.outPixels, N = P * count
        if count == 1 && g.isPointwise { return input + g.inputOffset(image: first, group: grp) }
        for i in 0..<count {
            let x = input + g.inputOffset(image: first + i, group: grp)
            if g.isPointwise {
                hone_copy_rows_bias(x, Int64(P), col + i * P, Int64(N), Int64(g.groupInChannels), Int64(P), nil)
            } else {
                Im2Col.pack(g, image: x, col: col + i * P, ldcol: N)
            }
        }
        return UnsafePointer(col)
    }

    /// ∂L/∂output of images `first ..< first+count`, group `grp`, side by side
    /// (groupOutChannels × count·P): one image's planes in place, several copied into scratch.
    private static func gatherGradOutput(_ g: Conv2DGeometry, _ gradOutput: UnsafePointer<Float>, first: Int,
                                         count: Int, group grp: Int) -> UnsafePointer<Float> {
        let og = g.groupOutChannels, P = g.outPixels, N = P * count
        if count == 1 { return gradOutput + (first * g.outChannels + grp * og) * P }
        let dyCat = scratch(slot: 3, floats: og * N)
        for i in 0..<count {
            let dy = gradOutput + ((first + i) * g.outChannels + grp * og) * P
            hone_copy_rows_bias(dy, Int64(P), dyCat + i * P, Int64(N), Int64(og), Int64(P), nil)
        }
        return UnsafePointer(dyCat)
    }

    /// Images lowered together: enough to fill ≈ 128 Ki floats of `col` (L2-sized). When one
    /// image's `col` already has ≥ 16 Ki floats (e.g. conv2 of the reference CNN: 288 × 121),
    /// each GEMM takes one image, so its operands and result are the NCHW planes themselves
    /// and the copies that place images side by side (≈ 15 % of such layers) disappear.
    static func imagesPerGEMM(_ g: Conv2DGeometry) -> Int {
        let perImage = g.patchSize * g.outPixels
        if perImage >= 16 * 1024 { return 1 }
        return max(1, min(g.batch, (128 * 1024) / max(1, perImage)))
    }

    /// Calls `body(first, count)` for consecutive groups of images covering `images`.
    private static func forEachImageGroup(_ g: Conv2DGeometry, _ images: Range<Int>, _ body: (Int, Int) -> Void) {
        let step = imagesPerGEMM(g)
        var first = images.lowerBound
        while first < images.upperBound {
            let count = min(step, images.upperBound - first)
            body(first, count)
            first += count
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
    /// 1×1 kernel, stride 1, no padding: the input planes already are the im2col matrix.
    var isPointwise: Bool {
        kernelH == 1 && kernelW == 1 && strideH == 1 && strideW == 1 && padH == 0 && padW == 0
    }

    /// Element offset of image `n`, group `grp`'s first input channel.
    func inputOffset(image n: Int, group grp: Int) -> Int {
        (n * inChannels + grp * groupInChannels) * height * width
    }
}
