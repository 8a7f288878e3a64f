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
                let pam = recording ? am.baseAddress : nil   // an empty array still has a base address
                pg.forPlanes { planes in
                    for p in planes {
                        let src = px + p * plane, dst = po + p * oplane
                        for oh in 0..<pg.outH {
                            let h0 = oh * pg.sh - pg.ph
                            let hs = Swift.max(h0, 0), he = Swift.min(h0 + pg.kh, pg.h)
                            for ow in 0..<pg.outW {
                                let w0 = ow * pg.sw - pg.pw
                                let ws = Swift.max(w0, 0), we = Swift.min(w0 + pg.kw, pg.w)
                                var best = -Float.infinity, bi = hs * pg.w + ws
                                for ih in hs..<he {
                                    let row = src + ih * pg.w
                                    for iw in ws..<we where row[iw] > best || row[iw].isNaN {
                                        best = row[iw]; bi = ih * pg.w + iw
                                        if best.isNaN { break }
                                    }
                                }
                                dst[oh * pg.outW + ow] = best
                                if let pam { pam[p * oplane + oh * pg.outW + ow] = Int32(bi) }
                            }
                        }
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
