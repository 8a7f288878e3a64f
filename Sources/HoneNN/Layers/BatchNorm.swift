import HoneTensor

/// The shared state and math of ``BatchNorm1d`` and ``BatchNorm2d`` (Ioffe & Szegedy,
/// arXiv:1502.03167), with PyTorch's conventions (FIELD-GUIDE §1.3): momentum 0.1 with
/// `r ← (1 − m)·r + m·batch`, ε = 1e-5, the running variance updated with the unbiased batch
/// variance (×M/(M − 1)); `weight` (γ) starts at ones, `bias` (β) at zeros; buffers
/// `running_mean`, `running_var`. Batch statistics in training (fused kernel), running statistics
/// in evaluation. Not used directly: the subclasses check their input's rank.
///
/// ```swift
/// let bn: BatchNormLayer = BatchNorm2d(32, momentum: 0.01)
/// print(bn.runningMean.shape)   // [32]
/// ```
public class BatchNormLayer {
    public let features: Int
    public let momentum: Float
    public let epsilon: Float
    let weight: Parameter?
    let bias: Parameter?
    let runningMeanBuffer: Buffer
    let runningVarianceBuffer: Buffer
    public var isTraining = true

    public init(_ features: Int, momentum: Float = 0.1, epsilon: Float = 1e-5, affine: Bool = true) {
        precondition(features > 0, "\(Self.self): features must be positive, got \(features)")
        precondition(momentum >= 0 && momentum <= 1, "\(Self.self): momentum must be in [0, 1], got \(momentum)")
        precondition(epsilon > 0, "\(Self.self): epsilon must be positive, got \(epsilon)")
        self.features = features; self.momentum = momentum; self.epsilon = epsilon
        weight = affine ? Parameter(Tensor.ones([features])) : nil
        bias = affine ? Parameter(Tensor.zeros([features])) : nil
        runningMeanBuffer = Buffer(Tensor.zeros([features]))
        runningVarianceBuffer = Buffer(Tensor.ones([features]))
    }

    /// Whether the layer has the learnable `weight` (γ) and `bias` (β).
    public var affine: Bool { weight != nil }
    public var runningMean: Tensor { runningMeanBuffer.value }
    public var runningVariance: Tensor { runningVarianceBuffer.value }

    public var parameters: [(String, Parameter)] {
        guard let weight, let bias else { return [] }
        return [("weight", weight), ("bias", bias)]
    }

    public var buffers: [(String, Buffer)] { [("running_mean", runningMeanBuffer), ("running_var", runningVarianceBuffer)] }

    /// Normalizes `x` (channels on axis 1) with batch statistics, updating the running ones, in
    /// training; with the running statistics in evaluation.
    func normalize(_ x: Tensor) -> Tensor {
        if isTraining {
            let (y, mean, variance) = Tensor.batchNormTraining(x, weight: weight?.value, bias: bias?.value, epsilon: epsilon)
            let m = x.count / features
            let correction = m > 1 ? Float(m) / Float(m - 1) : 1
            let rm = runningMean.scalars, rv = runningVariance.scalars
            var newMean = [Float](repeating: 0, count: features), newVar = newMean
            for c in 0..<features {
                newMean[c] = (1 - momentum) * rm[c] + momentum * mean[c]
                newVar[c] = (1 - momentum) * rv[c] + momentum * variance[c] * correction
            }
            runningMeanBuffer.value = Tensor(shape: [features], scalars: newMean)
            runningVarianceBuffer.value = Tensor(shape: [features], scalars: newVar)
            return y
        }
        // Evaluation: y = x·scale + shift with scale = γ/√(r_var + ε), shift = β − r_mean·scale.
        var shape = [Int](repeating: 1, count: x.rank)
        shape[1] = features
        let std = (runningVariance + epsilon).sqrt().reshaped(shape)
        let centered = x - runningMean.reshaped(shape)
        var y = centered / std
        if let weight { y = y * weight.value.reshaped(shape) }
        if let bias { y = y + bias.value.reshaped(shape) }
        return y
    }
}

/// Batch normalization over `[N, C]` or `[N, C, L]` inputs, as PyTorch's `nn.BatchNorm1d`:
/// defaults and buffers as ``BatchNormLayer``. Keras' momentum 0.99 is PyTorch's 0.01.
///
/// ```swift
/// let bn = BatchNorm1d(128)
/// let y = bn(Tensor.zeros([32, 128]))
/// ```
public final class BatchNorm1d: BatchNormLayer, Layer {
    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition((x.rank == 2 || x.rank == 3) && x.shape[1] == features,
                     "BatchNorm1d: input \(x.shape) does not match [N, \(features)] or [N, \(features), L]")
        return normalize(x)
    }
}

/// Batch normalization over `[N, C, H, W]` inputs, as PyTorch's `nn.BatchNorm2d` (statistics per
/// channel over N, H, W); defaults and buffers as `BatchNorm1d`.
///
/// ```swift
/// let bn = BatchNorm2d(32)
/// let y = bn(Tensor.zeros([8, 32, 14, 14]))
/// ```
public final class BatchNorm2d: BatchNormLayer, Layer {
    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(x.rank == 4 && x.shape[1] == features,
                     "BatchNorm2d: input \(x.shape) does not match [N, \(features), H, W]")
        return normalize(x)
    }
}
