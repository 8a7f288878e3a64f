import HoneCompute
import HoneKernels
import HoneTensor

/// A batch of uint8 activations between int8 layers: either rows `[N, F]` (each row padded to a
/// multiple of 4 bytes, the int8 GEMM's depth granularity) or images `[N, C, H, W]` stored
/// channels-last (NHWC) so a convolution's im2row reads each pixel's channels contiguously.
struct QuantizedActivation {
    var data: [UInt8]
    /// Logical shape: `[N, F]` or `[N, C, H, W]` (the float model's NCHW shape).
    var shape: [Int]
    var parameters: QuantizationParameters

    var batch: Int { shape[0] }
    var isImage: Bool { shape.count == 4 }
    /// Bytes per row for `[N, F]`.
    var rowStride: Int { QGEMM.paddedDepth(shape[1]) }

    /// Quantizes a float batch: rank 4 → NHWC images, anything else flattened to `[N, F]` rows.
    init(_ x: Tensor, parameters: QuantizationParameters) {
        self.parameters = parameters
        let inv = 1 / parameters.scale, zp = parameters.zeroPoint
        if x.rank == 4 {
            let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
            shape = x.shape
            data = x.withUnsafeBufferPointer { xp in
                [UInt8](unsafeUninitializedCapacity: max(1, n * c * h * w)) { buf, count in
                    if c == 1 {
                        QGEMM.quantize(xp.baseAddress!, count: n * h * w, scale: parameters.scale, zeroPoint: zp,
                                       into: buf.baseAddress!)
                    } else {
                        hone_quantize_nchw_to_nhwc_u8(xp.baseAddress!, Int64(n), Int64(c), Int64(h * w), inv, zp, buf.baseAddress!)
                    }
                    count = n * c * h * w
                }
            }
        } else {
            qcheck(x.rank >= 1, "QuantizedActivation: a scalar input cannot be quantized")
            let n = x.rank == 1 ? 1 : x.shape[0], f = x.count / max(1, n)
            shape = [n, f]
            let stride = QGEMM.paddedDepth(f)
            data = x.withUnsafeBufferPointer { xp in
                [UInt8](unsafeUninitializedCapacity: max(1, n * stride)) { buf, count in
                    if stride == f {
                        QGEMM.quantize(xp.baseAddress!, count: n * f, scale: parameters.scale, zeroPoint: zp, into: buf.baseAddress!)
                    } else {
                        for i in 0..<n {
                            QGEMM.quantize(xp.baseAddress! + i * f, count: f, scale: parameters.scale, zeroPoint: zp,
                                           into: buf.baseAddress! + i * stride)
                            for j in f..<stride { buf[i * stride + j] = 0 }
                        }
                    }
                    count = n * stride
                }
            }
        }
    }

    init(data: [UInt8], shape: [Int], parameters: QuantizationParameters) {
        self.data = data; self.shape = shape; self.parameters = parameters
    }

    /// Dynamic quantization: parameters from this batch's min and max.
    static func dynamic(_ x: Tensor) -> QuantizedActivation {
        let (lo, hi) = x.withUnsafeBufferPointer { QGEMM.minMax($0.baseAddress!, count: $0.count) }
        return QuantizedActivation(x, parameters: QuantizationParameters(min: lo, max: hi))
    }

    /// Images flattened in PyTorch's (C, H, W) order into padded rows; rows pass through.
    func flattened() -> QuantizedActivation {
        guard isImage else { return self }
        let (n, c, hw) = (shape[0], shape[1], shape[2] * shape[3])
        let f = c * hw, stride = QGEMM.paddedDepth(f)
        let out = [UInt8](unsafeUninitializedCapacity: max(1, n * stride)) { buf, count in
            data.withUnsafeBufferPointer { src in
                Compute.parallelFor(n, minChunk: 16) { r in
                    for i in r {
                        hone_nhwc_to_nchw_u8(src.baseAddress! + i * f, 1, Int64(hw), Int64(c), buf.baseAddress! + i * stride)
                        for j in f..<stride { buf[i * stride + j] = 0 }
                    }
                }
            }
            count = n * stride
        }
        return QuantizedActivation(data: out, shape: [n, f], parameters: parameters)
    }

    /// Max pooling (no padding) of NHWC images; max commutes with the monotonic quantization.
    func maxPooled(kernel: Size2D, stride: Size2D) -> QuantizedActivation {
        qcheck(isImage, "QuantizedMaxPool: expected images [N, C, H, W], got rows \(shape)")
        let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
        let oh = (h - kernel.h) / stride.h + 1, ow = (w - kernel.w) / stride.w + 1
        qcheck(oh > 0 && ow > 0, "QuantizedMaxPool: window \(kernel) larger than the input \(h)×\(w)")
        let per = oh * ow * c
        let out = [UInt8](unsafeUninitializedCapacity: max(1, n * per)) { buf, count in
            data.withUnsafeBufferPointer { src in
                Compute.parallelFor(n, minChunk: 8) { r in
                    hone_maxpool_u8_nhwc(QGEMM.active.rawValue, src.baseAddress! + r.lowerBound * h * w * c, Int64(r.count), Int64(h), Int64(w),
                                         Int64(c), Int64(kernel.h), Int64(kernel.w), Int64(stride.h), Int64(stride.w),
                                         Int64(oh), Int64(ow), buf.baseAddress! + r.lowerBound * per)
                }
            }
            count = n * per
        }
        return QuantizedActivation(data: out, shape: [n, c, oh, ow], parameters: parameters)
    }

    /// The float values (NCHW for images).
    func dequantized() -> Tensor {
        var t = Tensor.zeros(shape)
        let s = parameters.scale, zp = parameters.zeroPoint
        t.withUnsafeMutableBufferPointer { dst in
            data.withUnsafeBufferPointer { src in
                if isImage {
                    let (n, c, hw) = (shape[0], shape[1], shape[2] * shape[3])
                    for i in 0..<n { for p in 0..<hw { for ch in 0..<c {
                        dst[(i * c + ch) * hw + p] = s * Float(Int32(src[(i * hw + p) * c + ch]) - zp)
                    } } }
                } else {
                    let (n, f) = (shape[0], shape[1]), stride = rowStride
                    for i in 0..<n {
                        hone_dequantize_u8(src.baseAddress! + i * stride, Int64(f), s, zp, dst.baseAddress! + i * f)
                    }
                }
            }
        }
        return t
    }
}
