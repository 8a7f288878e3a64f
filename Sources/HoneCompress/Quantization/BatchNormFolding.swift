import HoneNN
import HoneTensor

/// Folds an inference-mode BatchNorm into the convolution or dense layer before it:
/// with `k = γ / √(σ² + ε)` per output channel, `W' = k·W` and `b' = k·(b − μ) + β`
/// (Jacob et al., CVPR 2018, §3.2; Krishnamoorthi, arXiv:1806.08342, §2.4). The originals
/// are left untouched; the returned layer has a bias.
///
/// ```swift
/// let folded = BatchNormFolding.fold(conv, into: bn)   // conv followed by bn, in one Conv2D
/// ```
public enum BatchNormFolding {
    /// Per-channel multiplier k and shift k·(−μ) + β of a BatchNorm in evaluation mode.
    static func affine(mean: Tensor, variance: Tensor, epsilon: Float, parameters: [(String, Parameter)]) -> ([Float], [Float]) {
        let mu = mean.scalars, v = variance.scalars
        let gamma = parameters.first { $0.0 == "weight" }?.1.value.scalars ?? [Float](repeating: 1, count: mu.count)
        let beta = parameters.first { $0.0 == "bias" }?.1.value.scalars ?? [Float](repeating: 0, count: mu.count)
        var k = [Float](repeating: 0, count: mu.count), shift = k
        for c in 0..<mu.count {
            k[c] = gamma[c] / (v[c] + epsilon).squareRoot()
            shift[c] = beta[c] - k[c] * mu[c]
        }
        return (k, shift)
    }

    static func scaled(weight: Tensor, bias: Tensor?, k: [Float], shift: [Float]) -> (Tensor, Tensor) {
        let per = weight.count / k.count
        var w = weight.scalars
        for i in w.indices { w[i] *= k[i / per] }
        let b0 = bias?.scalars ?? [Float](repeating: 0, count: k.count)
        let b = (0..<k.count).map { k[$0] * b0[$0] + shift[$0] }
        return (Tensor(shape: weight.shape, scalars: w), Tensor(b))
    }

    /// A Conv2D computing `bn(conv(x))` (BatchNorm2d in evaluation mode).
    public static func fold(_ conv: Conv2D, into bn: BatchNorm2d) -> Conv2D {
        precondition(bn.features == conv.outputChannels, "BatchNormFolding: BatchNorm2d(\(bn.features)) after Conv2D with \(conv.outputChannels) outputs")
        let (k, shift) = affine(mean: bn.runningMean, variance: bn.runningVariance, epsilon: bn.epsilon, parameters: bn.parameters)
        let out = Conv2D(inputChannels: conv.inputChannels, outputChannels: conv.outputChannels, kernelSize: conv.kernelSize,
                         stride: conv.stride, padding: .explicit(conv.paddingAmount), dilation: conv.dilation,
                         groups: conv.groups, bias: true)
        let (w, b) = scaled(weight: conv.weight.value, bias: conv.bias?.value, k: k, shift: shift)
        out.weight.value = w
        out.bias!.value = b
        out.setTraining(false)
        return out
    }

    /// A Dense computing `bn(dense(x))` (BatchNorm1d in evaluation mode).
    public static func fold(_ dense: Dense, into bn: BatchNorm1d) -> Dense {
        precondition(bn.features == dense.outputSize, "BatchNormFolding: BatchNorm1d(\(bn.features)) after Dense with \(dense.outputSize) outputs")
        let (k, shift) = affine(mean: bn.runningMean, variance: bn.runningVariance, epsilon: bn.epsilon, parameters: bn.parameters)
        let out = Dense(inputSize: dense.inputSize, outputSize: dense.outputSize, bias: true)
        let (w, b) = scaled(weight: dense.weight.value, bias: dense.bias?.value, k: k, shift: shift)
        out.weight.value = w
        out.bias!.value = b
        out.setTraining(false)
        return out
    }
}
