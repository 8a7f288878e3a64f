/// Window geometry shared by the pooling ops (NCHW, no dilation, floor rounding as PyTorch).
struct PoolGeometry {
    let planes: Int, h: Int, w: Int, kh: Int, kw: Int, sh: Int, sw: Int, ph: Int, pw: Int
    let outH: Int, outW: Int

    init(_ x: Tensor, kernel: Size2D, stride: Size2D, padding: Size2D, op: String) {
        precondition(x.rank == 4, "\(op): input must be 4-d NCHW, got \(x.shape)")
        precondition(kernel.h > 0 && kernel.w > 0 && stride.h > 0 && stride.w > 0,
                     "\(op): invalid kernel \(kernel) or stride \(stride)")
        precondition(padding.h >= 0 && padding.w >= 0 && 2 * padding.h <= kernel.h && 2 * padding.w <= kernel.w,
                     "\(op): padding \(padding) must be at most half the kernel \(kernel)")
        planes = x.shape[0] * x.shape[1]; h = x.shape[2]; w = x.shape[3]
        kh = kernel.h; kw = kernel.w; sh = stride.h; sw = stride.w; ph = padding.h; pw = padding.w
        outH = (h + 2 * ph - kh) / sh + 1
        outW = (w + 2 * pw - kw) / sw + 1
        precondition(h + 2 * ph >= kh && w + 2 * pw >= kw && outH > 0 && outW > 0,
                     "\(op): input \(x.shape) is smaller than the kernel \(kernel) with padding \(padding)")
    }

    /// Runs `body` over planes (N·C), in parallel when the work is large.
    func forPlanes(_ body: (Range<Int>) -> Void) {
        let per = Swift.max(1, outH * outW * kh * kw)
        Parallel.forRange(planes, minChunk: Swift.max(1, Parallel.elementThreshold / per), body)
    }
}

extension Tensor {
    /// 2-d max pooling over [N, C, H, W] (padding acts as −∞). The gradient goes to the
    /// (first) maximal element of each window.
    ///
    /// ```swift
    /// let y = x.maxPool2d(kernel: 2)   // stride defaults to the kernel size
    /// ```
    public func maxPool2d(kernel: Size2D, stride: Size2D? = nil, padding: Size2D = 0) -> Tensor {
        let pg = PoolGeometry(self, kernel: kernel, stride: stride ?? kernel, padding: padding, op: "maxPool2d")
        let xc = contiguousData()
        var out = Tensor(uninitializedShape: [shape[0], shape[1], pg.outH, pg.outW])
        let plane = pg.h * pg.w, oplane = pg.outH * pg.outW
        let recording = Tensor.isRecording(self)
        var argmax = [Int32](repeating: 0, count: recording ? out.count : 0)
        let po = out.base
        withExtendedLifetime(xc) {
            let px = UnsafePointer(xc.base)
            argmax.withUnsafeMutableBufferPointer { am in
                let pam = recording ? am.baseAddress : nil   // an empty array may still have a base address
                pg.forPlanes { planes in
                    for p in planes {
                        MaxPoolKernel.plane(pg, src: px + p * plane, dst: po + p * oplane,
                                            argmax: pam.map { $0 + p * oplane })
                    }
                }
            }
        }
        if recording {
            let inShape = shape
            let indices = argmax
            Tensor.record("maxPool2d", &out, [self]) { g, _ in
                let gc = g.contiguousData()
                let gx = Tensor.zeros(inShape)
                let pgx = gx.base
                withExtendedLifetime(gc) {
                    let pgc = UnsafePointer(gc.base)
                    indices.withUnsafeBufferPointer { am in
                        pg.forPlanes { planes in
                            for p in planes {
                                let dst = pgx + p * plane
                                for j in 0..<oplane { dst[Int(am[p * oplane + j])] += pgc[p * oplane + j] }
                            }
                        }
                    }
                }
                return [gx]
            }
        }
        return out
    }

    /// 2-d average pooling over [N, C, H, W]; padded zeros count in the average
    /// (PyTorch's default `count_include_pad = true`), so every window divides by kH·kW.
    ///
    /// ```swift
    /// let y = x.avgPool2d(kernel: 2)
    /// ```
    public func avgPool2d(kernel: Size2D, stride: Size2D? = nil, padding: Size2D = 0) -> Tensor {
        let pg = PoolGeometry(self, kernel: kernel, stride: stride ?? kernel, padding: padding, op: "avgPool2d")
        let xc = contiguousData()
        var out = Tensor(uninitializedShape: [shape[0], shape[1], pg.outH, pg.outW])
        let plane = pg.h * pg.w, oplane = pg.outH * pg.outW
        let scale = 1 / Float(pg.kh * pg.kw)
        let po = out.base
        withExtendedLifetime(xc) {
            let px = UnsafePointer(xc.base)
            pg.forPlanes { planes in
                for p in planes {
                    let src = px + p * plane, dst = po + p * oplane
                    for oh in 0..<pg.outH {
                        let h0 = oh * pg.sh - pg.ph
                        let hs = Swift.max(h0, 0), he = Swift.min(h0 + pg.kh, pg.h)
                        for ow in 0..<pg.outW {
                            let w0 = ow * pg.sw - pg.pw
                            let ws = Swift.max(w0, 0), we = Swift.min(w0 + pg.kw, pg.w)
                            var s: Float = 0
                            for ih in hs..<he {
                                let row = src + ih * pg.w
                                for iw in ws..<we { s += row[iw] }
                            }
                            dst[oh * pg.outW + ow] = s * scale
                        }
                    }
                }
            }
        }
        if Tensor.isRecording(self) {
            let inShape = shape
            Tensor.record("avgPool2d", &out, [self]) { g, _ in
                let gc = g.contiguousData()
                let gx = Tensor.zeros(inShape)
                let pgx = gx.base
                withExtendedLifetime(gc) {
                    let pgc = UnsafePointer(gc.base)
                    pg.forPlanes { planes in
                        for p in planes {
                            let dst = pgx + p * plane, src = pgc + p * oplane
                            for oh in 0..<pg.outH {
                                let h0 = oh * pg.sh - pg.ph
                                let hs = Swift.max(h0, 0), he = Swift.min(h0 + pg.kh, pg.h)
                                for ow in 0..<pg.outW {
                                    let w0 = ow * pg.sw - pg.pw
                                    let ws = Swift.max(w0, 0), we = Swift.min(w0 + pg.kw, pg.w)
                                    let v = src[oh * pg.outW + ow] * scale
                                    for ih in hs..<he {
                                        let row = dst + ih * pg.w
                                        for iw in ws..<we { row[iw] += v }
                                    }
                                }
                            }
                        }
                    }
                }
                return [gx]
            }
        }
        return out
    }
}

/// Max pooling of one H×W plane. Row-wise: the output row starts from each window's first
/// in-bounds element and every other window offset updates it in a loop over output columns,
/// which the compiler vectorizes; NaN propagates as in PyTorch.
enum MaxPoolKernel {
    static func plane(_ pg: PoolGeometry, src: UnsafePointer<Float>, dst: UnsafeMutablePointer<Float>,
                      argmax: UnsafeMutablePointer<Int32>?) {
        let w = pg.w, sw = pg.sw, outW = pg.outW
        // Output columns whose windows lie fully inside the row: [owLo, owHi).
        let owLo = Swift.min(outW, (pg.pw + sw - 1) / sw)
        var owHi = outW
        while owHi > owLo && (owHi - 1) * sw - pg.pw + pg.kw > w { owHi -= 1 }
        for oh in 0..<pg.outH {
            let h0 = oh * pg.sh - pg.ph
            let hs = Swift.max(h0, 0), he = Swift.min(h0 + pg.kh, pg.h)
            let out = dst + oh * outW
            let idx = argmax.map { $0 + oh * outW }
            // Border columns: bounds-checked windows.
            for ow in Array(0..<owLo) + Array(owHi..<outW) {
                let w0 = ow * sw - pg.pw
                let ws = Swift.max(w0, 0), we = Swift.min(w0 + pg.kw, w)
                var best = src[hs * w + ws], bi = hs * w + ws
                for ih in hs..<he {
                    for iw in ws..<we {
                        let v = src[ih * w + iw]
                        if v > best || (v.isNaN && !best.isNaN) { best = v; bi = ih * w + iw }
                    }
                }
                out[ow] = best
                if let idx { idx[ow] = Int32(truncatingIfNeeded: bi) }
            }
            if owLo >= owHi { continue }
            // Interior columns: window column offset kx is in bounds for every ow.
            let c0 = owLo * sw - pg.pw
            let n = owHi - owLo
            let o = out + owLo
            do {
                let r = src + hs * w + c0
                for j in 0..<n { o[j] = r[j * sw] }
                if let idx {
                    let i0 = idx + owLo
                    for j in 0..<n { i0[j] = Int32(truncatingIfNeeded: hs * w + c0 + j * sw) }
                }
            }
            for ih in hs..<he {
                for kx in 0..<pg.kw where !(ih == hs && kx == 0) {
                    let base = ih * w + c0 + kx
                    let r = src + base
                    if let idx {
                        let i0 = idx + owLo
                        for j in 0..<n {
                            let v = r[j * sw]
                            if v > o[j] || (v != v && o[j] == o[j]) { o[j] = v; i0[j] = Int32(truncatingIfNeeded: base + j * sw) }
                        }
                    } else {
                        for j in 0..<n {
                            let v = r[j * sw], b = o[j]
                            o[j] = v > b || v != v ? v : b
                        }
                    }
                }
            }
        }
    }
}
