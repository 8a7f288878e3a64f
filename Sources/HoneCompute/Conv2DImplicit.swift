import HoneKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// Implicit-GEMM convolution for stride-1 layers on the AVX-512 path: the same products as the
/// im2col lowering (`Y_g = W_g · col`, `∂col = W_gᵀ · ∂Y_g`), but the im2col matrix is never
/// formed. Each 32-pixel B panel of `col` is packed straight from the image in the
/// micro-kernel's layout (`hone_conv_pack_b_avx512`: two loads and one lane permute per row),
/// and each 32-pixel panel of `∂col` is added back into `∂input` while it is still in L1
/// (`hone_conv_col2im_panel_avx512`). The weights are packed once per call and shared by all
/// threads; threads split the batch. The bias rides along as one more GEMM row (a column of
/// biases in the packed weights against a row of ones), so the output is written once, in
/// NCHW, by the micro-kernel.
///
/// Compared with im2col + `sgemm` this removes, per image, the im2col write and re-read, the
/// repacking of the weights and the bias pass (reference CNN conv2: see docs/kernels.md).
/// Used by `Conv2DKernels` when ``applies(_:depth:)`` (``appliesToWeightGradient(_:)`` for ∂W).
enum ImplicitConv {
    /// Micro-kernel tile and depth blocking (the AVX-512 SGEMM's).
    static let mr = 12, nr = 32, kc = 384

    /// True when this path handles `g`: AVX-512 active, stride 1, not a plain 1×1 product,
    /// enough images to give every thread some, GEMM depths long enough for the micro-kernel
    /// (narrow layers such as a 1-channel first layer keep the batched im2col lowering) and a
    /// shape the packing kernels support.
    static func applies(_ g: Conv2DGeometry, depth: Int) -> Bool {
        guard InstructionSet.active == .avx512, g.strideH == 1, g.strideW == 1, !g.isPointwise,
              depth >= 32, g.batch >= Compute.threadCount else { return false }
        var s = shape(g)
        return hone_conv_implicit_supported(&s) != 0
    }

    static func shape(_ g: Conv2DGeometry) -> hone_conv_shape {
        hone_conv_shape(channels: Int64(g.groupInChannels), H: Int64(g.height), W: Int64(g.width),
                        kh: Int64(g.kernelH), kw: Int64(g.kernelW), ph: Int64(g.padH), pw: Int64(g.padW),
                        dh: Int64(g.dilationH), dw: Int64(g.dilationW), oh_n: Int64(g.outH), ow_n: Int64(g.outW))
    }

    /// Lane plans of the 32-pixel B panels covering one image's output pixels (the same for
    /// every image, group and channel).
    static func panels(_ g: Conv2DGeometry) -> [hone_conv_panel] {
        var s = shape(g)
        let P = g.outPixels
        return stride(from: 0, to: P, by: nr).map { j0 in
            var pl = hone_conv_panel()
            let ok = hone_conv_panel_init(&s, Int64(j0), Int64(min(nr, P - j0)), &pl)
            precondition(ok != 0, "ImplicitConv: unsupported geometry \(g)")
            return pl
        }
    }

    /// Prefetches part `part` of `parts` of the `floats` floats at `base` (spreading a next
    /// image's prefetches over the current image's work keeps the miss queues from filling).
    static func prefetchSlice(_ base: UnsafePointer<Float>, _ floats: Int, _ part: Int, _ parts: Int, write: Bool = false) {
        let lo = part * floats / parts, hi = (part + 1) * floats / parts
        if hi > lo { hone_prefetch(base + lo, Int64((hi - lo) * 4), write ? 1 : 0) }
    }

    /// k blocks [p0, p1) of a depth-`k` product, as the SGEMM driver splits them.
    static func kBlocks(_ k: Int) -> [Range<Int>] {
        let n = (k + kc - 1) / kc
        return (0..<n).map { ($0 * k / n)..<(($0 + 1) * k / n) }
    }

    /// Weights packed as micro-kernel A panels (`hone_sgemm_pack_a_avx512` layout): per group,
    /// per k block, per 12-row panel; filled by the caller, read by every thread.
    final class PackedA {
        let m: Int, k: Int, groups: Int, panels: Int
        let blocks: [Range<Int>]
        let storage: UnsafeMutablePointer<Float>

        init(groups: Int, m: Int, k: Int) {
            self.groups = groups; self.m = m; self.k = k
            panels = (m + ImplicitConv.mr - 1) / ImplicitConv.mr
            blocks = ImplicitConv.kBlocks(k)
            let floats = max(1, groups * panels * ImplicitConv.mr * k)
            storage = UnsafeMutablePointer<Float>(OpaquePointer(aligned_alloc(64, (floats * 4 + 63) / 64 * 64)!))
        }
        deinit { free(storage) }

        /// Start of panel `panel` of k block `block` of group `grp` (kc × mr floats).
        func panel(group grp: Int, block: Int, panel: Int) -> UnsafeMutablePointer<Float> {
            let b = blocks[block]
            return storage + grp * panels * ImplicitConv.mr * k + b.lowerBound * ImplicitConv.mr * panels
                + panel * b.count * ImplicitConv.mr
        }
    }

    /// output = conv(input, weight) + bias, overwriting output.
    static func forward(_ g: Conv2DGeometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                        bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>) {
        let s = shape(g)
        let og = g.groupOutChannels, K = g.patchSize, P = g.outPixels
        let depth = K + (bias == nil ? 0 : 1)   // row K of the packed image is ones (bias)
        let a = PackedA(groups: g.groups, m: og, k: depth)
        for grp in 0..<g.groups {
            for (kb, blk) in a.blocks.enumerated() {
                let wRows = max(0, min(blk.upperBound, K) - blk.lowerBound)
                for panel in 0..<a.panels {
                    let i0 = panel * mr, rows = min(mr, og - i0)
                    let dst = a.panel(group: grp, block: kb, panel: panel)
                    if wRows > 0 {
                        hone_sgemm_pack_a_avx512(Int64(mr), Int64(rows), Int64(wRows),
                                                 weight + (grp * og + i0) * K + blk.lowerBound, Int64(K), 1, 1, dst)
                    }
                    if let bias, blk.contains(K) {
                        let row = dst + (K - blk.lowerBound) * mr
                        for i in 0..<mr { row[i] = i < rows ? bias[grp * og + i0 + i] : 0 }
                    }
                }
            }
        }
        let sharedPlans = panels(g)
        Compute.parallelFor(g.batch, minChunk: 1) { images in
            var s = s, plans = sharedPlans   // each thread passes its own copies to C
            // All B panels of one image and k block (≤ kc × P floats, L2), then each A panel
            // (L1) swept across them, as in the SGEMM driver.
            let maxBlock = a.blocks.map(\.count).max() ?? 1
            let panelsN = plans.count
            let packed = hone_scratch(2, Int64(maxBlock * nr * panelsN * MemoryLayout<Float>.stride))!
            let imageFloats = g.inChannels * g.height * g.width
            for n in images {
                let next = n + 1 < images.upperBound ? input + (n + 1) * imageFloats : nil
                for grp in 0..<g.groups {
                    let image = input + g.inputOffset(image: n, group: grp)
                    let y = output + (n * g.outChannels + grp * og) * P
                    for (kb, blk) in a.blocks.enumerated() {
                        for jp in 0..<panelsN {
                            hone_conv_pack_b_avx512(image, &s, &plans[jp], Int64(blk.lowerBound),
                                                    Int64(blk.count), packed + jp * blk.count * nr, Int64(nr))
                        }
                        for panel in 0..<a.panels {
                            let i0 = panel * mr
                            let ap = a.panel(group: grp, block: kb, panel: panel)
                            for jp in 0..<panelsN {
                                // the next image streams in under this one's micro-kernels, a few lines per call
                                if grp == 0 && kb == 0, let next {
                                    prefetchSlice(next, imageFloats, panel * panelsN + jp, a.panels * panelsN)
                                }
                                let j0 = jp * nr
                                hone_sgemm_ukernel_avx512(Int64(blk.count), ap, packed + jp * blk.count * nr,
                                                          y + i0 * P + j0, Int64(P), kb == 0 ? 0 : 1,
                                                          Int64(min(mr, og - i0)), Int64(min(nr, P - j0)))
                            }
                        }
                    }
                }
            }
        }
        withExtendedLifetime(a) {}
    }

    /// gradInput = ∂L/∂input, overwriting gradInput.
    static func backwardInput(_ g: Conv2DGeometry, gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                              gradInput: UnsafeMutablePointer<Float>) {
        let s = shape(g)
        let og = g.groupOutChannels, K = g.patchSize, P = g.outPixels
        let imageSize = g.inChannels * g.height * g.width
        // A = W_gᵀ (K × og): element (i, p) at weight[(grp·og + p)·K + i].
        let a = PackedA(groups: g.groups, m: K, k: og)
        for grp in 0..<g.groups {
            for (kb, blk) in a.blocks.enumerated() {
                for panel in 0..<a.panels {
                    let i0 = panel * mr
                    hone_sgemm_pack_a_avx512(Int64(mr), Int64(min(mr, K - i0)), Int64(blk.count),
                                             weight + (grp * og + blk.lowerBound) * K + i0, 1, Int64(K), 1,
                                             a.panel(group: grp, block: kb, panel: panel))
                }
            }
        }
        let sharedPlans = panels(g)
        Compute.parallelFor(g.batch, minChunk: 1) { images in
            var s = s, plans = sharedPlans   // each thread passes its own copies to C
            let maxBlock = a.blocks.map(\.count).max() ?? 1
            let bPanel = hone_scratch(2, Int64(maxBlock * nr * MemoryLayout<Float>.stride))!
            let dcol = hone_scratch(3, Int64(a.panels * mr * nr * MemoryLayout<Float>.stride))!
            let dyFloats = g.outChannels * P
            for n in images {
                let last = n + 1 == images.upperBound
                (gradInput + n * imageSize).update(repeating: 0, count: imageSize)
                for grp in 0..<g.groups {
                    let dy = gradOutput + (n * g.outChannels + grp * og) * P
                    let dx = gradInput + g.inputOffset(image: n, group: grp)
                    var j0 = 0
                    while j0 < P {
                        let cols = min(nr, P - j0)
                        for (kb, blk) in a.blocks.enumerated() {
                            hone_sgemm_pack_b_avx512(Int64(nr), Int64(blk.count), Int64(cols),
                                                     dy + blk.lowerBound * P + j0, Int64(P), 1, bPanel)
                            for panel in 0..<a.panels {
                                if grp == 0 && kb == 0 && !last {   // the next image's ∂Y and ∂X, a few lines per call
                                    let part = j0 / nr * a.panels + panel, parts = plans.count * a.panels
                                    prefetchSlice(gradOutput + (n + 1) * dyFloats, dyFloats, part, parts)
                                    prefetchSlice(UnsafePointer(gradInput + (n + 1) * imageSize), imageSize, part, parts, write: true)
                                }
                                let i0 = panel * mr
                                hone_sgemm_ukernel_avx512(Int64(blk.count), a.panel(group: grp, block: kb, panel: panel),
                                                          bPanel, dcol + i0 * nr, Int64(nr), kb == 0 ? 0 : 1,
                                                          Int64(min(mr, K - i0)), Int64(cols))
                            }
                        }
                        hone_conv_col2im_panel_avx512(dcol, Int64(nr), &s, &plans[j0 / nr], dx)
                        j0 += nr
                    }
                }
            }
        }
        withExtendedLifetime(a) {}
    }

    /// gradWeight (and gradBias if non-nil), overwriting both: per group
    /// `dW_gᵀ (K × og) = Σ_n col_n · dY_nᵀ`. The im2col rows of one block of ≤ 384 pixels (L2-sized)
    /// are packed from the image and read in place by the micro-kernel
    /// (`hone_sgemm_ukernel_arows_avx512`, no transposing pack); `dY_nᵀ` is packed once per image
    /// and pixel block, and ∂b is summed per image while its ∂Y is cached. Threads split the batch; each keeps its own partial sum and the partials
    /// are added in chunk order (deterministic at a given thread count), transposing to OIHW.
    static func backwardWeight(_ g: Conv2DGeometry, input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                               gradWeight: UnsafeMutablePointer<Float>, gradBias: UnsafeMutablePointer<Float>?) {
        let s = shape(g)
        let og = g.groupOutChannels, K = g.patchSize, P = g.outPixels
        let sharedPlans = panels(g)
        let panelsPerBlock = kc / nr   // pixel (k) blocks of ≤ kc pixels, whole panels
        let blocks = stride(from: 0, to: sharedPlans.count, by: panelsPerBlock).map {
            $0..<min(sharedPlans.count, $0 + panelsPerBlock)
        }
        // All rows of one pixel block of col at once (≤ K × 384 floats, L2): the micro-kernel
        // then streams A rows from L2 while dY_nᵀ stays in L1. (Packing L1-sized row chunks
        // between kernel calls made the two compete for L1 and was 25 % slower for conv2.)
        let chunkRows = K
        let oPanels = (og + nr - 1) / nr
        let wCount = g.outChannels * K
        let chunks = max(1, min(Compute.threadCount, g.batch))
        let partials = UnsafeMutablePointer<Float>.allocate(capacity: chunks * wCount)
        let biasPartials = gradBias == nil ? nil : UnsafeMutablePointer<Float>.allocate(capacity: chunks * g.outChannels)
        defer { partials.deallocate(); biasPartials?.deallocate() }
        let imageFloats = g.inChannels * g.height * g.width, dyFloats = g.outChannels * P
        Compute.forEachWorker(chunks) { chunk in
            var s = s, plans = sharedPlans
            let images = (chunk * g.batch / chunks)..<((chunk + 1) * g.batch / chunks)
            let acc = partials + chunk * wCount   // per group a K × og block (dWᵀ)
            acc.update(repeating: 0, count: wCount)
            let blockPixels = panelsPerBlock * nr
            let col = hone_scratch(2, Int64((chunkRows + mr) * blockPixels * MemoryLayout<Float>.stride))!
            let dyT = hone_scratch(3, Int64(oPanels * blockPixels * nr * MemoryLayout<Float>.stride))!
            let db = biasPartials.map { $0 + chunk * g.outChannels }
            db?.update(repeating: 0, count: g.outChannels)
            for n in images {
                let last = n + 1 == images.upperBound
                if let db {   // ∂b now, while this image's ∂Y is about to be read anyway
                    hone_row_sums_add(gradOutput + n * dyFloats, Int64(g.outChannels), Int64(P), db)
                }
                for grp in 0..<g.groups {
                    let image = input + g.inputOffset(image: n, group: grp)
                    let dy = gradOutput + (n * g.outChannels + grp * og) * P
                    let accG = acc + grp * K * og
                    for blk in blocks {
                        let q0 = blk.lowerBound * nr, kcb = min(P, blk.upperBound * nr) - q0
                        let lda = blk.count * nr
                        for op in 0..<oPanels {   // dY_nᵀ: element (pixel p, channel o) at dy[o·P + p]
                            hone_sgemm_pack_b_avx512(Int64(nr), Int64(kcb), Int64(min(nr, og - op * nr)),
                                                     dy + op * nr * P + q0, 1, Int64(P), dyT + op * kcb * nr)
                        }
                        var p0 = 0
                        while p0 < K {
                            let rows = min(chunkRows, K - p0)
                            for jp in blk {
                                hone_conv_pack_b_avx512(image, &s, &plans[jp], Int64(p0), Int64(rows),
                                                        col + (jp - blk.lowerBound) * nr, Int64(lda))
                            }
                            var i0 = 0
                            while i0 < rows {
                                if grp == 0 && blk.lowerBound == 0 && !last {   // next image, a slice per row tile
                                    let tiles = (rows + mr - 1) / mr
                                    prefetchSlice(input + (n + 1) * imageFloats, imageFloats, i0 / mr, tiles)
                                    prefetchSlice(gradOutput + (n + 1) * dyFloats, dyFloats, i0 / mr, tiles)
                                }
                                for op in 0..<oPanels {
                                    hone_sgemm_ukernel_arows_avx512(Int64(kcb), col + i0 * lda, Int64(lda), dyT + op * kcb * nr,
                                                                    accG + (p0 + i0) * og + op * nr, Int64(og), 1,
                                                                    Int64(min(mr, rows - i0)), Int64(min(nr, og - op * nr)))
                                }
                                i0 += mr
                            }
                            p0 += rows
                        }
                    }
                }
            }
        }
        // Fixed-order sum of the partials, transposed from K × og to OIHW (og × K) per group;
        // threads take whole output channels.
        Compute.parallelFor(g.outChannels, minChunk: 8) { channels in
            for oc in channels {
                let grp = oc / og, o = oc % og
                let row = gradWeight + oc * K
                for c in 0..<chunks {
                    let src = partials + c * wCount + grp * K * og + o
                    if c == 0 {
                        for p in 0..<K { row[p] = src[p * og] }
                    } else {
                        for p in 0..<K { row[p] += src[p * og] }
                    }
                }
            }
        }
        if let gradBias, let biasPartials {
            gradBias.update(from: biasPartials, count: g.outChannels)
            for c in 1..<chunks {
                for o in 0..<g.outChannels { gradBias[o] += biasPartials[c * g.outChannels + o] }
            }
        }
    }

    /// True when the weight-gradient path handles `g`: as ``applies(_:depth:)`` with enough
    /// patch rows and output channels to fill the 12 × 32 tiles.
    static func appliesToWeightGradient(_ g: Conv2DGeometry) -> Bool {
        applies(g, depth: 32) && g.patchSize >= 36 && g.groupOutChannels >= 24
    }
}
