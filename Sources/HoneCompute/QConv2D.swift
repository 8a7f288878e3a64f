import HoneKernels

/// Int8 2-D convolution on uint8 NHWC activations: im2row of a block of output pixels into
/// thread-local scratch (patch order kh, kw, c), then `QGEMM` against packed OIHW→O(HWI)
/// weights; the output comes out NHWC (one row per pixel, one column per channel), so the
/// next int8 layer reads it without a transpose. Blocks of pixels are split across threads.
///
/// ```swift
/// QConv2D.forward(g, input: x, zeroPoint: 3, packed: w, scale: s, offset: o, bias: b,
///                 relu: true, output: .uint8(y, scale: 0.05, zeroPoint: 0))
/// ```
public enum QConv2D {
    /// Pixels per im2row block (a multiple of the 6-row tile).
    static let blockRows = 192

    /// Runs the convolution. `input` is N × H × W × C uint8 with zero point `zeroPoint` (the
    /// padding value); weights are packed from `[outC, kH·kW·C]` rows in (kh, kw, c) order.
    /// Output rows are `N·outH·outW` pixels of `outChannels` values (NHWC).
    public static func forward(_ g: Conv2DGeometry, input: UnsafePointer<UInt8>, zeroPoint: UInt8,
                               packed: UnsafePointer<Int8>, scale: UnsafePointer<Float>, offset: UnsafePointer<Int32>,
                               bias: UnsafePointer<Float>?, relu: Bool, output: QGEMM.Output,
                               path: QGEMM.Path = QGEMM.active) {
        g.validate("QConv2D.forward")
        precondition(g.groups == 1 && g.dilationH == 1 && g.dilationW == 1,
                     "QConv2D.forward: only groups 1 and dilation 1 are supported, got \(g)")
        let k = g.kernelH * g.kernelW * g.inChannels, kpad = QGEMM.paddedDepth(k)
        let pixels = g.batch * g.outPixels
        let blocks = (pixels + blockRows - 1) / blockRows
        let serial = Compute.threadCount <= 1 || pixels * g.outChannels * k < 1 << 21
        let body: (Range<Int>) -> Void = { range in
            let col = UnsafeMutableRawPointer(hone_scratch(6, Int64(blockRows * kpad))!).assumingMemoryBound(to: UInt8.self)
            for blk in range {
                let first = blk * blockRows, rows = min(blockRows, pixels - first)
                hone_im2row_u8(input, Int64(g.height), Int64(g.width), Int64(g.inChannels), Int64(g.kernelH),
                               Int64(g.kernelW), Int64(g.strideH), Int64(g.strideW), Int64(g.padH), Int64(g.padW),
                               Int64(g.outH), Int64(g.outW), Int64(first), Int64(rows), zeroPoint, col, Int64(kpad))
                let out: QGEMM.Output
                switch output {
                case .float(let p): out = .float(p + first * g.outChannels)
                case .uint8(let p, let s, let z): out = .uint8(p + first * g.outChannels, scale: s, zeroPoint: z)
                case .int32(let p): out = .int32(p + first * g.outChannels)
                }
                QGEMM.multiply(m: rows, n: g.outChannels, k: k, a: col, lda: kpad, packed: packed, scale: scale,
                               offset: offset, bias: bias, relu: relu, output: out, ldc: g.outChannels, path: path)
            }
        }
        if serial { body(0..<blocks) } else { Compute.parallelFor(blocks, minChunk: 1, body) }
    }
}
