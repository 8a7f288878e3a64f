/// Affine quantization of a float range to 8 bits: `real = scale · (q − zeroPoint)`
/// (Jacob et al., CVPR 2018, eq. 1).
///
/// Hone's convention (also PyTorch's fbgemm/x86 default and ONNX QDQ's common choice):
/// - **activations**: per tensor, *asymmetric uint8* (`q ∈ [0, 255]`, zero point chosen so that
///   0.0 is exactly representable; the range is first widened to include 0);
/// - **weights**: per output channel, *symmetric int8* (`q ∈ [−127, 127]`, zero point 0), so the
///   int8 GEMM needs no weight zero point and −128 never occurs.
///
/// ```swift
/// let p = QuantizationParameters(min: -0.5, max: 3.0)   // uint8: scale 3.5/255, zeroPoint 36
/// p.quantize(1.0)     // 109
/// p.dequantize(109)   // ≈ 1.0
/// ```
public struct QuantizationParameters: Sendable, Equatable, Codable, CustomStringConvertible {
    public var scale: Float
    public var zeroPoint: Int32

    public init(scale: Float, zeroPoint: Int32) {
        precondition(scale > 0 && scale.isFinite, "QuantizationParameters: scale must be positive and finite, got \(scale)")
        precondition((0...255).contains(zeroPoint), "QuantizationParameters: zeroPoint \(zeroPoint) outside [0, 255]")
        self.scale = scale
        self.zeroPoint = zeroPoint
    }

    /// Asymmetric uint8 parameters covering [min, max] (widened to include 0; a degenerate
    /// range gets scale 1/255 so that nothing divides by zero).
    public init(min lo: Float, max hi: Float) {
        let a = Swift.min(lo, 0), b = Swift.max(hi, 0)
        var s = (b - a) / 255
        if !(s > 0) || !s.isFinite { s = 1.0 / 255 }
        let z = (-a / s).rounded(.toNearestOrEven)
        self.init(scale: s, zeroPoint: Int32(Swift.min(255, Swift.max(0, z))))
    }

    /// The float range [qmin, qmax] maps to.
    public var range: ClosedRange<Float> { dequantize(0)...dequantize(255) }

    /// `clamp(round(x / scale) + zeroPoint, 0, 255)`, ties to even.
    @inlinable public func quantize(_ x: Float) -> UInt8 {
        let q = (x / scale).rounded(.toNearestOrEven) + Float(zeroPoint)
        return UInt8(Swift.min(255, Swift.max(0, q)))
    }

    /// `scale · (q − zeroPoint)`.
    @inlinable public func dequantize(_ q: UInt8) -> Float { scale * Float(Int32(q) - zeroPoint) }

    public var description: String { "scale \(scale), zero point \(zeroPoint)" }
}

/// Per-output-channel symmetric int8 weights: `W[o, …] ≈ scales[o] · q[o, …]`, q ∈ [−127, 127].
///
/// ```swift
/// let qw = QuantizedWeights(weights: w, outputChannels: 128)   // w: [128 · 1600] floats
/// qw.values.count == w.count; qw.scales.count == 128
/// ```
public struct QuantizedWeights: Sendable, Equatable {
    /// Int8 values, one row of `count / outputChannels` per output channel (the float layout).
    public var values: [Int8]
    /// One scale per output channel.
    public var scales: [Float]

    public init(values: [Int8], scales: [Float]) {
        precondition(!scales.isEmpty && values.count % scales.count == 0,
                     "QuantizedWeights: \(values.count) values do not split into \(scales.count) channels")
        self.values = values
        self.scales = scales
    }

    /// Quantizes float weights per output channel: scale = max|w| / 127 (1 when a channel is all zero).
    public init(weights: [Float], outputChannels: Int) {
        precondition(outputChannels > 0 && weights.count % outputChannels == 0,
                     "QuantizedWeights: \(weights.count) weights do not split into \(outputChannels) channels")
        let per = weights.count / outputChannels
        var scales = [Float](repeating: 1, count: outputChannels)
        var values = [Int8](repeating: 0, count: weights.count)
        for o in 0..<outputChannels {
            var m: Float = 0
            for i in o * per..<(o + 1) * per { m = Swift.max(m, abs(weights[i])) }
            let s: Float = m > 0 ? m / 127 : 1
            scales[o] = s
            for i in o * per..<(o + 1) * per {
                values[i] = Int8(Swift.min(127, Swift.max(-127, (weights[i] / s).rounded(.toNearestOrEven))))
            }
        }
        self.init(values: values, scales: scales)
    }

    public var outputChannels: Int { scales.count }
    /// Values per output channel.
    public var rowLength: Int { values.count / scales.count }

    /// Σₖ q[o, k] per output channel: the zero-point correction of an int8 GEMM with these
    /// weights (Jacob et al., arXiv:1712.05877, §2.3).
    var rowSums: [Int32] {
        let per = rowLength
        return (0..<outputChannels).map { o in
            var s: Int32 = 0
            for k in 0..<per { s += Int32(values[o * per + k]) }
            return s
        }
    }

    /// The int8 GEMM epilogue for activations quantized with `p`, per output channel: scale
    /// s_w[o]·s_x and offset −z_x·Σₖ q[o, k] (`rowSums` from ``rowSums``).
    func epilogue(rowSums: [Int32], activations p: QuantizationParameters) -> ([Float], [Int32]) {
        (scales.map { $0 * p.scale }, rowSums.map { -p.zeroPoint * $0 })
    }

    /// Checks that these weights are `outputChannels × rowLength` and `bias` has one value per
    /// output channel, naming `layer` otherwise.
    func check(layer: String, outputChannels: Int, rowLength: Int, bias: [Float]?) {
        precondition(self.outputChannels == outputChannels && self.rowLength == rowLength,
                     "\(layer): weights \(self.outputChannels)×\(self.rowLength) do not match \(outputChannels)×\(rowLength)")
        precondition(bias == nil || bias!.count == outputChannels, "\(layer): bias count \(bias!.count) ≠ \(outputChannels)")
    }

    /// The float weights these values stand for (`scales[o] · q`).
    public var dequantized: [Float] {
        let per = rowLength
        return values.enumerated().map { Float($0.element) * scales[$0.offset / per] }
    }
}
