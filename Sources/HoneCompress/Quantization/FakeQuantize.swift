import HoneNN
import HoneTensor

/// Fake quantization with a straight-through estimator (Bengio et al., arXiv:1308.3432;
/// Jacob et al., CVPR 2018, §3): the forward pass rounds to the uint8 grid and back
/// (`s·(clamp(round(x/s) + z, 0, 255) − z)`), the backward pass lets the gradient through where
/// x lies inside the representable range and zeroes it outside (clipped STE).
///
/// As a layer it observes its input in training mode with an exponential moving average of the
/// batch min and max (momentum 0.01, as PyTorch's `MovingAverageMinMaxObserver`; the first batch
/// sets the range) and uses the frozen range in evaluation mode.
///
/// ```swift
/// let fq = FakeQuantize()
/// let y = fq(x)                 // training: updates the range, then fake-quantizes
/// let p = fq.parameters        // uint8 scale and zero point for conversion
/// ```
public final class FakeQuantize: Layer {
    public var isTraining = true
    public let momentum: Float
    public private(set) var low: Float = 0
    public private(set) var high: Float = 0
    public private(set) var observed = false

    public init(momentum: Float = 0.01) {
        precondition(momentum > 0 && momentum <= 1, "FakeQuantize: momentum must be in (0, 1], got \(momentum)")
        self.momentum = momentum
    }

    /// The current uint8 quantization parameters.
    public var quantizationParameters: QuantizationParameters { QuantizationParameters(min: low, max: high) }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        if isTraining || !observed {
            let v = x.scalars
            let lo = v.min() ?? 0, hi = v.max() ?? 0
            if observed {
                low += momentum * (lo - low); high += momentum * (hi - high)
            } else {
                low = lo; high = hi; observed = true
            }
        }
        return Self.fakeQuantize(x, quantizationParameters)
    }

    /// The fake-quantization op with the clipped straight-through gradient.
    public static func fakeQuantize(_ x: Tensor, _ p: QuantizationParameters) -> Tensor {
        let v = x.scalars
        var out = [Float](repeating: 0, count: v.count), mask = out
        let lo = p.dequantize(0), hi = p.dequantize(255)
        for i in v.indices {
            out[i] = p.dequantize(p.quantize(v[i]))
            mask[i] = v[i] >= lo && v[i] <= hi ? 1 : 0
        }
        let maskTensor = Tensor(shape: x.shape, scalars: mask)
        return Tensor.customOp("fakeQuantize", output: Tensor(shape: x.shape, scalars: out), inputs: [x]) { g, _ in
            [g * maskTensor]
        }
    }

    /// Per-output-channel symmetric int8 fake quantization of weights (scale max|w|/127 per
    /// channel, from the current weights) with an identity straight-through gradient.
    public static func fakeQuantizeWeights(_ w: Tensor) -> Tensor {
        let q = QuantizedWeights(weights: w.scalars, outputChannels: w.shape[0])
        return Tensor.customOp("fakeQuantizeWeights", output: Tensor(shape: w.shape, scalars: q.dequantized), inputs: [w]) { g, _ in
            [g]
        }
    }
}

/// A Dense layer trained with fake-quantized int8 weights; shares its parameters with `dense`.
public final class FakeQuantizedDense: Layer {
    public let dense: Dense
    public var isTraining = true
    public init(_ dense: Dense) { self.dense = dense }
    public var parameters: [(String, Parameter)] { dense.parameters }
    public func callAsFunction(_ x: Tensor) -> Tensor {
        Tensor.linear(x, weight: FakeQuantize.fakeQuantizeWeights(dense.weight.value), bias: dense.bias?.value)
    }
}

/// A Conv2D trained with fake-quantized int8 weights; shares its parameters with `conv`.
public final class FakeQuantizedConv2D: Layer {
    public let conv: Conv2D
    public var isTraining = true
    public init(_ conv: Conv2D) { self.conv = conv }
    public var parameters: [(String, Parameter)] { conv.parameters }
    public func callAsFunction(_ x: Tensor) -> Tensor {
        Tensor.conv2d(x, weight: FakeQuantize.fakeQuantizeWeights(conv.weight.value), bias: conv.bias?.value,
                      stride: conv.stride, padding: conv.paddingAmount, dilation: conv.dilation, groups: conv.groups)
    }
}
