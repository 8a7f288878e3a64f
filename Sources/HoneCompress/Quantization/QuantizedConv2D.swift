import HoneCompute
import HoneNN
import HoneTensor

/// Int8 2-D convolution for inference (groups 1, dilation 1): im2row of uint8 NHWC
/// activations and the int8 GEMM with per-output-channel weight scales, bias and ReLU fused
/// into the epilogue. Weights are kept in PyTorch's OIHW layout (`weights`) and packed in
/// (kh, kw, c) order for the channels-last activations.
///
/// ```swift
/// let q = QuantizedConv2D(conv, input: QuantizationParameters(min: 0, max: 1))
/// let y = q(Tensor.zeros([8, 1, 28, 28]))   // [8, 32, 26, 26] floats, NCHW
/// ```
public final class QuantizedConv2D: QuantizedLayer, Layer {
    public let inputChannels: Int
    public let outputChannels: Int
    public let kernelSize: Size2D
    public let stride: Size2D
    public let padding: Size2D

    /// `weights` are OIHW with one scale per output channel.
    public init(inputChannels: Int, outputChannels: Int, kernelSize: Size2D, stride: Size2D, padding: Size2D,
                weights: QuantizedWeights, bias: [Float]?, input: QuantizationParameters?, fusedReLU: Bool = false) {
        let k = inputChannels * kernelSize.h * kernelSize.w
        weights.check(layer: "QuantizedConv2D", outputChannels: outputChannels, rowLength: k, bias: bias)
        self.inputChannels = inputChannels; self.outputChannels = outputChannels
        self.kernelSize = kernelSize; self.stride = stride; self.padding = padding
        // OIHW → O(kh, kw, c) rows for NHWC patches.
        let (kh, kw, c) = (kernelSize.h, kernelSize.w, inputChannels)
        var reordered = [Int8](repeating: 0, count: weights.values.count)
        for o in 0..<outputChannels { for ch in 0..<c { for r in 0..<kh { for s in 0..<kw {
            reordered[o * k + (r * kw + s) * c + ch] = weights.values[o * k + (ch * kh + r) * kw + s]
        } } } }
        super.init(weights: weights, packing: reordered, bias: bias, input: input, fusedReLU: fusedReLU)
    }

    /// Quantizes a float `Conv2D` (groups 1, dilation 1; dynamic when `input` is nil).
    public convenience init(_ conv: Conv2D, input: QuantizationParameters?, fusedReLU: Bool = false) {
        precondition(conv.groups == 1 && conv.dilation == 1, "QuantizedConv2D: only groups 1 and dilation 1 are supported")
        self.init(inputChannels: conv.inputChannels, outputChannels: conv.outputChannels, kernelSize: conv.kernelSize,
                  stride: conv.stride, padding: conv.paddingAmount,
                  weights: QuantizedWeights(weights: conv.weight.value.scalars, outputChannels: conv.outputChannels),
                  bias: conv.bias?.value.scalars, input: input, fusedReLU: fusedReLU)
    }

    /// Float NCHW in, float NCHW out.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        qcheck(x.rank == 4 && x.shape[1] == inputChannels, "QuantizedConv2D: input \(x.shape) does not match [N, \(inputChannels), H, W]")
        let q = input.map { QuantizedActivation(x, parameters: $0) } ?? QuantizedActivation.dynamic(x)
        return floatOutput(q)
    }

    func geometry(_ a: QuantizedActivation) -> Conv2DGeometry {
        qcheck(a.isImage && a.shape[1] == inputChannels,
               "QuantizedConv2D: input \(a.shape) does not match [N, \(inputChannels), H, W]")
        return Conv2DGeometry(batch: a.shape[0], inChannels: inputChannels, height: a.shape[2], width: a.shape[3],
                              outChannels: outputChannels, kernelH: kernelSize.h, kernelW: kernelSize.w,
                              strideH: stride.h, strideW: stride.w, padH: padding.h, padW: padding.w)
    }

    func floatOutput(_ a: QuantizedActivation) -> Tensor {
        let g = geometry(a)
        let (scale, offset) = epilogue(for: a.parameters)
        let hw = g.outH * g.outW, n = g.batch, c = outputChannels
        let nhwc = [Float](unsafeUninitializedCapacity: max(1, n * hw * c)) { buf, count in
            QConv2D.forward(g, input: a.data, zeroPoint: UInt8(a.parameters.zeroPoint), packed: packed, scale: scale,
                            offset: offset, bias: bias, relu: fusedReLU, output: .float(buf.baseAddress!))
            count = n * hw * c
        }
        var y = Tensor.zeros([n, c, g.outH, g.outW])
        y.withUnsafeMutableBufferPointer { dst in
            for i in 0..<n { for p in 0..<hw { for ch in 0..<c { dst[(i * c + ch) * hw + p] = nhwc[(i * hw + p) * c + ch] } } }
        }
        return y
    }

    func quantizedOutput(_ a: QuantizedActivation, _ out: QuantizationParameters) -> QuantizedActivation {
        let g = geometry(a)
        let (scale, offset) = epilogue(for: a.parameters)
        let count = g.batch * g.outH * g.outW * outputChannels
        let data = [UInt8](unsafeUninitializedCapacity: max(1, count)) { buf, written in
            QConv2D.forward(g, input: a.data, zeroPoint: UInt8(a.parameters.zeroPoint), packed: packed, scale: scale,
                            offset: offset, bias: bias, relu: fusedReLU,
                            output: .uint8(buf.baseAddress!, scale: out.scale, zeroPoint: out.zeroPoint))
            written = count
        }
        return QuantizedActivation(data: data, shape: [g.batch, outputChannels, g.outH, g.outW], parameters: out)
    }
}
