import HoneTensor

/// Layer normalization (Ba et al., arXiv:1607.06450) over the trailing `normalizedShape`
/// dimensions, as PyTorch's `nn.LayerNorm`: `y = (x − mean)/√(var + ε)·weight + bias` with the
/// biased variance (fused kernel `Tensor.layerNorm`), ε = 1e-5, weight ones and bias zeros of shape `normalizedShape`. The same in
/// training and evaluation.
///
/// ```swift
/// let ln = LayerNorm([64])
/// let y = ln(Tensor.zeros([8, 10, 64]))
/// ```
public final class LayerNorm: Layer {
    public let normalizedShape: [Int]
    public let epsilon: Float
    public let weight: Parameter?
    public let bias: Parameter?
    public var isTraining = true

    public init(_ normalizedShape: [Int], epsilon: Float = 1e-5, elementwiseAffine: Bool = true) {
        precondition(!normalizedShape.isEmpty && normalizedShape.allSatisfy { $0 > 0 },
                     "LayerNorm: normalizedShape must be non-empty and positive, got \(normalizedShape)")
        precondition(epsilon > 0, "LayerNorm: epsilon must be positive, got \(epsilon)")
        self.normalizedShape = normalizedShape
        self.epsilon = epsilon
        weight = elementwiseAffine ? Parameter(Tensor.ones(normalizedShape)) : nil
        bias = elementwiseAffine ? Parameter(Tensor.zeros(normalizedShape)) : nil
    }

    public var parameters: [(String, Parameter)] {
        guard let weight, let bias else { return [] }
        return [("weight", weight), ("bias", bias)]
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let k = normalizedShape.count
        precondition(x.rank >= k && Array(x.shape.suffix(k)) == normalizedShape,
                     "LayerNorm: input \(x.shape) does not end in \(normalizedShape)")
        return Tensor.layerNorm(x, normalizedCount: normalizedShape.reduce(1, *), weight: weight?.value,
                                bias: bias?.value, epsilon: epsilon)
    }
}
