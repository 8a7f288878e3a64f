import HoneTensor

/// The shared state and math of `BatchNorm1d` and `BatchNorm2d` (Ioffe & Szegedy, arXiv:1502.03167),
/// with PyTorch's conventions (FIELD-GUIDE §1.3): momentum 0.1 with `r ← (1 − m)·r + m·batch`,
/// ε = 1e-5, the running variance updated with the unbiased batch variance (×M/(M − 1)).
final class BatchNormCore {
    let features: Int
    let momentum: Float
    let epsilon: Float
    let weight: Parameter?
    let bias: Parameter?
    let runningMean: Buffer
    let runningVariance: Buffer

    init(features: Int, momentum: Float, epsilon: Float, affine: Bool, op: String) {
        precondition(features > 0, "\(op): features must be positive, got \(features)")
        precondition(momentum >= 0 && momentum <= 1, "\(op): momentum must be in [0, 1], got \(momentum)")
        precondition(epsilon > 0, "\(op): epsilon must be positive, got \(epsilon)")
        self.features = features; self.momentum = momentum; self.epsilon = epsilon
        weight = affine ? Parameter(Tensor.ones([features])) : nil
        bias = affine ? Parameter(Tensor.zeros([features])) : nil
        runningMean = Buffer(Tensor.zeros([features]))
        runningVariance = Buffer(Tensor.ones([features]))
    }

    var parameters: [(String, Parameter)] {
        guard let weight, let bias else { return [] }
        return [("weight", weight), ("bias", bias)]
    }

    var buffers: [(String, Buffer)] { [("running_mean", runningMean), ("running_var", runningVariance)] }

    func forward(_ x: Tensor, training: Bool) -> Tensor {
        if training {
            let (y, mean, variance) = Tensor.batchNormTraining(x, weight: weight?.value, bias: bias?.value, epsilon: epsilon)
            let m = x.count / features
            let correction = m > 1 ? Float(m) / Float(m - 1) : 1
            let rm = runningMean.value.scalars, rv = runningVariance.value.scalars
            var newMean = [Float](repeating: 0, count: features), newVar = newMean
            for c in 0..<features {
                newMean[c] = (1 - momentum) * rm[c] + momentum * mean[c]
                newVar[c] = (1 - momentum) * rv[c] + momentum * variance[c] * correction
            }
            runningMean.value = Tensor(shape: [features], scalars: newMean)
            runningVariance.value = Tensor(shape: [features], scalars: newVar)
            return y
        }
        // Evaluation: y = x·scale + shift with scale = γ/√(r_var + ε), shift = β − r_mean·scale.
        var shape = [Int](repeating: 1, count: x.rank)
        shape[1] = features
        let std = (runningVariance.value + epsilon).sqrt().reshaped(shape)
        let centered = x - runningMean.value.reshaped(shape)
        var y = centered / std
        if let weight { y = y * weight.value.reshaped(shape) }
        if let bias { y = y + bias.value.reshaped(shape) }
        return y
    }
}

/// Batch normalization over `[N, C]` or `[N, C, L]` inputs, as PyTorch's `nn.BatchNorm1d`:
/// batch statistics in training (fused kernel), running statistics in evaluation; momentum 0.1,
/// ε 1e-5; `weight` (γ) starts at ones, `bias` (β) at zeros; buffers `running_mean`,
/// `running_var` (unbiased). Keras' momentum 0.99 is PyTorch's 0.01.
///
/// ```swift
/// let bn = BatchNorm1d(128)
/// let y = bn(Tensor.zeros([32, 128]))
/// ```
public final class BatchNorm1d: Layer {
    let core: BatchNormCore
    public var isTraining = true

    public init(_ features: Int, momentum: Float = 0.1, epsilon: Float = 1e-5, affine: Bool = true) {
        core = BatchNormCore(features: features, momentum: momentum, epsilon: epsilon, affine: affine, op: "BatchNorm1d")
    }

    public var features: Int { core.features }
    public var momentum: Float { core.momentum }
    public var epsilon: Float { core.epsilon }
    public var affine: Bool { core.weight != nil }
    public var runningMean: Tensor { core.runningMean.value }
    public var runningVariance: Tensor { core.runningVariance.value }
    public var parameters: [(String, Parameter)] { core.parameters }
    public var buffers: [(String, Buffer)] { core.buffers }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition((x.rank == 2 || x.rank == 3) && x.shape[1] == features,
                     "BatchNorm1d: input \(x.shape) does not match [N, \(features)] or [N, \(features), L]")
        return core.forward(x, training: isTraining)
    }
}

/// Batch normalization over `[N, C, H, W]` inputs, as PyTorch's `nn.BatchNorm2d` (statistics per
/// channel over N, H, W); defaults and buffers as `BatchNorm1d`.
///
/// ```swift
/// let bn = BatchNorm2d(32)
/// let y = bn(Tensor.zeros([8, 32, 14, 14]))
/// ```
public final class BatchNorm2d: Layer {
    let core: BatchNormCore
    public var isTraining = true

    public init(_ features: Int, momentum: Float = 0.1, epsilon: Float = 1e-5, affine: Bool = true) {
        core = BatchNormCore(features: features, momentum: momentum, epsilon: epsilon, affine: affine, op: "BatchNorm2d")
    }

    public var features: Int { core.features }
    public var momentum: Float { core.momentum }
    public var epsilon: Float { core.epsilon }
    public var affine: Bool { core.weight != nil }
    public var runningMean: Tensor { core.runningMean.value }
    public var runningVariance: Tensor { core.runningVariance.value }
    public var parameters: [(String, Parameter)] { core.parameters }
    public var buffers: [(String, Buffer)] { core.buffers }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(x.rank == 4 && x.shape[1] == features,
                     "BatchNorm2d: input \(x.shape) does not match [N, \(features), H, W]")
        return core.forward(x, training: isTraining)
    }
}
