import HoneTensor

/// `max(0, x)` elementwise.
///
/// ```swift
/// let model = Sequential(Dense(inputSize: 4, outputSize: 8), ReLU())
/// ```
public final class ReLU: Layer {
    public var isTraining = true
    public init() {}
    public func callAsFunction(_ x: Tensor) -> Tensor { x.relu() }
}

/// `x` for x > 0, `negativeSlope·x` otherwise (PyTorch default slope 0.01).
///
/// ```swift
/// let act = LeakyReLU(negativeSlope: 0.2)
/// ```
public final class LeakyReLU: Layer {
    public let negativeSlope: Float
    public var isTraining = true
    public init(negativeSlope: Float = 0.01) { self.negativeSlope = negativeSlope }
    public func callAsFunction(_ x: Tensor) -> Tensor { x.leakyRelu(negativeSlope: negativeSlope) }
}

/// Exponential linear unit (Clevert et al., arXiv:1511.07289): `x` for x > 0, `α(eˣ − 1)` otherwise.
///
/// ```swift
/// let act = ELU(alpha: 1)
/// ```
public final class ELU: Layer {
    public let alpha: Float
    public var isTraining = true
    public init(alpha: Float = 1) { self.alpha = alpha }
    public func callAsFunction(_ x: Tensor) -> Tensor { x.elu(alpha: alpha) }
}

/// Gaussian error linear unit (Hendrycks & Gimpel, arXiv:1606.08415), as `Tensor.gelu()` computes it.
///
/// ```swift
/// let act = GELU()
/// ```
public final class GELU: Layer {
    public var isTraining = true
    public init() {}
    public func callAsFunction(_ x: Tensor) -> Tensor { x.gelu() }
}

/// Logistic sigmoid `1/(1 + e⁻ˣ)`.
///
/// ```swift
/// let gate = Sigmoid()
/// ```
public final class Sigmoid: Layer {
    public var isTraining = true
    public init() {}
    public func callAsFunction(_ x: Tensor) -> Tensor { x.sigmoid() }
}

/// Hyperbolic tangent.
///
/// ```swift
/// let act = Tanh()
/// ```
public final class Tanh: Layer {
    public var isTraining = true
    public init() {}
    public func callAsFunction(_ x: Tensor) -> Tensor { x.tanh() }
}

/// Softmax along `axis` (default: the last). For training, feed logits to a cross-entropy loss
/// instead (it fuses a stable log-softmax).
///
/// ```swift
/// let probabilities = Softmax()(logits)
/// ```
public final class Softmax: Layer {
    public let axis: Int
    public var isTraining = true
    public init(axis: Int = -1) { self.axis = axis }
    public func callAsFunction(_ x: Tensor) -> Tensor { x.softmax(axis: axis) }
}
