/// Window geometry shared by the pooling ops (NCHW, no dilation, floor rounding as PyTorch).
struct PoolGeometry {
    let planes: Int, h: Int, w: Int, kh: Int, kw: Int, sh: Int, sw: Int, ph: Int, pw: Int
    let outH: Int, outW: Int

    init(_ x: Tensor, kernel: Size2D, stride: Size2D, padding: Size2D, op: String) {
        check(x.rank == 4, "\(op): input must be 4-d NCHW, got \(x.shape)")
        check(kernel.h > 0 && kernel.w > 0 && stride.h > 0 && stride.w > 0,
                     "\(op): invalid kernel \(kernel) or stride \(stride)")
        check(padding.h >= 0 && padding.w >= 0 && 2 * padding.h <= kernel.h && 2 * padding.w <= kernel.w,
                     "\(op): padding \(padding) must be at most half the kernel \(kernel)")
        planes = x.shape[0] * x.shape[1]; h = x.shape[2]; w = x.shape[3]
        kh = kernel.h; kw = kernel.w; sh = stride.h; sw = stride.w; ph = padding.h; pw = padding.w
        outH = (h + 2 * ph - kh) / sh + 1
        outW = (w + 2 * pw - kw) / sw + 1
        check(h + 2 * ph >= kh && w + 2 * pw >= kw && outH > 0 && outW > 0,
                     "\(op): input \(x.shape) is smaller than the kernel \(kernel) with padding \(padding)")
    }

    /// Calls `body(j, hs, he, ws, we)` for every output `j = oh·outW + ow` of a plane with its
    /// window clipped to the plane: input rows `hs..<he`, columns `ws..<we`.
    @inline(__always) func forEachWindow(_ body: (Int, Int, Int, Int, Int) -> Void) {
        for oh in 0..<outH {
            let h0 = oh * sh - ph
            let hs = Swift.max(h0, 0), he = Swift.min(h0 + kh, h)
            for ow in 0..<outW {
                let w0 = ow * sw - pw
                body(oh * outW + ow, hs, he, Swift.max(w0, 0), Swift.min(w0 + kw, w))
            }
        }
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
                let offsets = pg.ph == 0 && pg.pw == 0 ? MaxPoolKernel.windowOffsets(pg) : []
                offsets.withUnsafeBufferPointer { ob in
                    let po0 = offsets.isEmpty ? nil : ob.baseAddress
                    pg.forPlanes { planes in
                        for p in planes {
                            MaxPoolKernel.plane(pg, src: px + p * plane, dst: po + p * oplane,
                                                argmax: pam.map { $0 + p * oplane }, offsets: po0)
                        }
                    }
                }
            }
        }
        if recording {
            let indices = argmax
            Tensor.recordScatter("maxPool2d", &out, self) { pgc, pgx in
                indices.withUnsafeBufferPointer { am in
                    pg.forPlanes { planes in
                        for p in planes {
                            let dst = pgx + p * plane
                            for j in 0..<oplane { dst[Int(am[p * oplane + j])] += pgc[p * oplane + j] }
                        }
                    }
                }
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
                    pg.forEachWindow { j, hs, he, ws, we in
                        var s: Float = 0
                        for ih in hs..<he {
                            let row = src + ih * pg.w
                            for iw in ws..<we { s += row[iw] }
                        }
                        dst[j] = s * scale
                    }
                }
            }
        }
        if Tensor.isRecording(self) {
            Tensor.recordScatter("avgPool2d", &out, self) { pgc, pgx in
                pg.forPlanes { planes in
                    for p in planes {
                        let dst = pgx + p * plane, src = pgc + p * oplane
                        pg.forEachWindow { j, hs, he, ws, we in
                            let v = src[j] * scale
                            for ih in hs..<he {
                                let row = dst + ih * pg.w
                                for iw in ws..<we { row[iw] += v }
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}

/// Max pooling kernels for one H×W plane.
///
/// Without padding every window lies inside the plane, so the window start of output j is a
/// fixed offset `offsets[j]` and each window position (ky, kx) updates all outputs of the plane
/// in one loop, eight lanes at a time with vector compares and blends (rows are short — 13 or
/// 5 outputs in the reference CNN — so vectorizing along a row would leave most work in the
/// scalar tail, and a scalar branch mispredicts on about half of random inputs). With padding,
/// windows are clipped and each output scans its window. NaN propagates as in PyTorch.
enum MaxPoolKernel {
    /// Window start offsets of every output of a plane (valid when there is no padding).
    static func windowOffsets(_ pg: PoolGeometry) -> [Int32] {
        var off = [Int32](repeating: 0, count: pg.outH * pg.outW)
        for oh in 0..<pg.outH {
            for ow in 0..<pg.outW { off[oh * pg.outW + ow] = Int32(truncatingIfNeeded: oh * pg.sh * pg.w + ow * pg.sw) }
        }
        return off
    }

    static func plane(_ pg: PoolGeometry, src: UnsafePointer<Float>, dst: UnsafeMutablePointer<Float>,
                      argmax: UnsafeMutablePointer<Int32>?, offsets: UnsafePointer<Int32>?) {
        let m = pg.outH * pg.outW
        if let offsets {
            for j in 0..<m { dst[j] = src[Int(offsets[j])] }
            if let argmax { argmax.update(from: offsets, count: m) }
            for ky in 0..<pg.kh {
                for kx in 0..<pg.kw where ky != 0 || kx != 0 {
                    update(dst, argmax, src + ky * pg.w + kx, offsets, count: m, shift: Int32(ky * pg.w + kx))
                }
            }
            return
        }
        pg.forEachWindow { j, hs, he, ws, we in
            var best = src[hs * pg.w + ws], bi = hs * pg.w + ws
            for ih in hs..<he {
                for iw in ws..<we {
                    let v = src[ih * pg.w + iw]
                    if v > best || (v.isNaN && !best.isNaN) { best = v; bi = ih * pg.w + iw }
                }
            }
            dst[j] = best
            argmax?[j] = Int32(truncatingIfNeeded: bi)
        }
    }

    /// o[j] = max(o[j], r[offsets[j]]) (NaN wins); a new maximum records index offsets[j] + shift.
    static func update(_ o: UnsafeMutablePointer<Float>, _ idx: UnsafeMutablePointer<Int32>?,
                       _ r: UnsafePointer<Float>, _ offsets: UnsafePointer<Int32>, count n: Int, shift: Int32) {
        var j = 0
        while j + 8 <= n {
            let q = offsets + j
            let v = SIMD8<Float>(r[Int(q[0])], r[Int(q[1])], r[Int(q[2])], r[Int(q[3])],
                                 r[Int(q[4])], r[Int(q[5])], r[Int(q[6])], r[Int(q[7])])
            var b = UnsafeRawPointer(o + j).loadUnaligned(as: SIMD8<Float>.self)
            let take = (v .> b) .| ((v .!= v) .& (b .== b))
            b.replace(with: v, where: take)
            UnsafeMutableRawPointer(o + j).storeBytes(of: b, as: SIMD8<Float>.self)
            if let idx {
                var iv = UnsafeRawPointer(idx + j).loadUnaligned(as: SIMD8<Int32>.self)
                let cand = UnsafeRawPointer(q).loadUnaligned(as: SIMD8<Int32>.self) &+ shift
                iv.replace(with: cand, where: take)
                UnsafeMutableRawPointer(idx + j).storeBytes(of: iv, as: SIMD8<Int32>.self)
            }
            j += 8
        }
        while j < n {
            let v = r[Int(offsets[j])], b = o[j]
            if v > b || (v.isNaN && !b.isNaN) {
                o[j] = v
                idx?[j] = offsets[j] &+ shift
            }
            j += 1
        }
    }
}
