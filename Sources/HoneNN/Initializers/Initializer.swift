import HoneRandom
import HoneTensor

/// How a layer fills a weight or bias tensor when it is created. Every scheme is seeded: it
/// draws from the `SeededGenerator` the layer passes in, so the same seed gives the same model.
///
/// Fans follow PyTorch (`torch.nn.init._calculate_fan_in_and_fan_out`): for a weight of shape
/// `[out, in, k₁, k₂, …]`, `fanIn = in·∏k` and `fanOut = out·∏k` (for grouped convolutions
/// `in` is already `in/groups`). Bounds and deviations (FIELD-GUIDE §1.2):
///
/// | scheme | uniform bound | normal σ |
/// |---|---|---|
/// | Glorot (Glorot & Bengio, AISTATS 2010) | gain·√(6/(fanIn+fanOut)) | gain·√(2/(fanIn+fanOut)) |
/// | He (He et al., arXiv:1502.01852) | gain·√(3/fan) | gain/√fan |
/// | LeCun (LeCun et al., Efficient BackProp 1998) | √(3/fanIn) | √(1/fanIn) |
/// | PyTorch Linear/Conv default (kaiming_uniform, a = √5) | 1/√fanIn | – |
///
/// ```swift
/// var g = SeededGenerator(seed: 1)
/// let w = Initializer.heNormal().make(shape: [256, 784], generator: &g)   // σ = √(2/784)
/// ```
public enum Initializer: Sendable, Equatable {
    /// All zeros (Keras' default bias).
    case zeros
    /// All ones (BatchNorm and LayerNorm scale).
    case ones
    /// Every element equal to the value.
    case constant(Float)
    /// U(−bound, bound).
    case uniform(bound: Float)
    /// N(0, std²).
    case normal(std: Float)
    /// Glorot/Xavier uniform: U(±gain·√(6/(fanIn+fanOut))). Keras' default kernel initializer.
    case glorotUniform(gain: Float = 1)
    /// Glorot/Xavier normal: N(0, gain²·2/(fanIn+fanOut)).
    case glorotNormal(gain: Float = 1)
    /// He/Kaiming uniform: U(±gain·√(3/fan)), gain from `nonlinearity`, fan from `mode`.
    case heUniform(nonlinearity: Nonlinearity = .relu, mode: FanMode = .fanIn)
    /// He/Kaiming normal: N(0, gain²/fan).
    case heNormal(nonlinearity: Nonlinearity = .relu, mode: FanMode = .fanIn)
    /// LeCun uniform: U(±√(3/fanIn)).
    case lecunUniform
    /// LeCun normal: N(0, 1/fanIn) (SELU networks).
    case lecunNormal
    /// A (semi-)orthogonal matrix times `gain` (Saxe et al., arXiv:1312.6120), computed like
    /// `torch.nn.init.orthogonal_`: the weight viewed as `[shape[0], rest]`, a Gaussian matrix,
    /// QR by modified Gram–Schmidt, signs fixed so that diag(R) > 0. For recurrent weights.
    case orthogonal(gain: Float = 1)
    /// PyTorch's default for `nn.Linear`/`nn.Conv2d` weights and biases:
    /// kaiming_uniform(a = √5) = U(±1/√fanIn), the bias using the weight's fanIn.
    case pytorchDefault

    /// Which fan He initialization divides by.
    public enum FanMode: String, Sendable, Equatable, Codable {
        /// Preserves the variance of activations in the forward pass (PyTorch's default).
        case fanIn
        /// Preserves the variance of gradients in the backward pass.
        case fanOut
    }

    /// The activation a weight feeds, for He's gain (`torch.nn.init.calculate_gain`).
    public enum Nonlinearity: Sendable, Equatable {
        case linear, sigmoid, tanh, relu, selu
        case leakyRelu(negativeSlope: Float = 0.01)

        /// linear, sigmoid: 1; tanh: 5/3; relu: √2; leaky ReLU: √(2/(1+a²)); SELU: 3/4.
        public var gain: Float {
            switch self {
            case .linear, .sigmoid: return 1
            case .tanh: return 5.0 / 3.0
            case .relu: return Float(2).squareRoot()
            case .selu: return 0.75
            case .leakyRelu(let a): return (2 / (1 + a * a)).squareRoot()
            }
        }
    }

    /// PyTorch's fans for a weight of `shape` (`[out, in, kernel…]`; a 1-d shape has fanIn = fanOut = its length).
    ///
    /// ```swift
    /// Initializer.fans(of: [64, 32, 3, 3])   // (fanIn: 288, fanOut: 576)
    /// ```
    public static func fans(of shape: [Int]) -> (fanIn: Int, fanOut: Int) {
        if shape.count < 2 { let n = shape.first ?? 1; return (n, n) }
        let receptive = shape.dropFirst(2).reduce(1, *)
        return (shape[1] * receptive, shape[0] * receptive)
    }

    /// A new tensor of `shape` filled by this scheme. `fans` overrides the fans computed from
    /// `shape` (a bias uses its weight's fans).
    ///
    /// ```swift
    /// var g = SeededGenerator(seed: 3)
    /// let b = Initializer.pytorchDefault.make(shape: [10], fans: (784, 10), generator: &g)
    /// ```
    public func make(shape: [Int], fans: (fanIn: Int, fanOut: Int)? = nil,
                     generator: inout SeededGenerator) -> Tensor {
        let (fanIn, fanOut) = fans ?? Initializer.fans(of: shape)
        let fi = Float(max(fanIn, 1)), fo = Float(max(fanOut, 1))
        switch self {
        case .zeros: return Tensor.zeros(shape)
        case .ones: return Tensor.ones(shape)
        case .constant(let v): return Tensor.full(shape, v)
        case .uniform(let b): return Tensor.uniform(shape: shape, low: -b, high: b, generator: &generator)
        case .normal(let s): return Tensor.normal(shape: shape, std: s, generator: &generator)
        case .glorotUniform(let gain):
            let b = gain * (6 / (fi + fo)).squareRoot()
            return Tensor.uniform(shape: shape, low: -b, high: b, generator: &generator)
        case .glorotNormal(let gain):
            return Tensor.normal(shape: shape, std: gain * (2 / (fi + fo)).squareRoot(), generator: &generator)
        case .heUniform(let nl, let mode):
            let b = nl.gain * (3 / (mode == .fanIn ? fi : fo)).squareRoot()
            return Tensor.uniform(shape: shape, low: -b, high: b, generator: &generator)
        case .heNormal(let nl, let mode):
            return Tensor.normal(shape: shape, std: nl.gain / (mode == .fanIn ? fi : fo).squareRoot(), generator: &generator)
        case .lecunUniform:
            let b = (3 / fi).squareRoot()
            return Tensor.uniform(shape: shape, low: -b, high: b, generator: &generator)
        case .lecunNormal:
            return Tensor.normal(shape: shape, std: (1 / fi).squareRoot(), generator: &generator)
        case .orthogonal(let gain):
            return Orthogonal.make(shape: shape, gain: gain, generator: &generator)
        case .pytorchDefault:
            let b = 1 / fi.squareRoot()
            return Tensor.uniform(shape: shape, low: -b, high: b, generator: &generator)
        }
    }
}
