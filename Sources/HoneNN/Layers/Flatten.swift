import HoneTensor

/// Flattens every dimension from `startAxis` on into one (default: all but the batch axis),
/// like `nn.Flatten`: `[N, C, H, W]` → `[N, C·H·W]`. A view when the input is contiguous.
///
/// ```swift
/// let flat = Flatten()(Tensor.zeros([2, 64, 5, 5]))   // [2, 1600]
/// ```
public final class Flatten: Layer {
    public let startAxis: Int
    public var isTraining = true
    public init(startAxis: Int = 1) { self.startAxis = startAxis }
    public func callAsFunction(_ x: Tensor) -> Tensor { x.flattened(startAxis: startAxis) }
}

/// Reshapes each sample to `shape` (the batch axis is kept): `[N, 784]` → `[N, 28, 28]` with
/// `Reshape([28, 28])`. One entry may be −1.
///
/// ```swift
/// let rows = Reshape([28, 28])(Tensor.zeros([4, 784]))   // [4, 28, 28]
/// ```
public final class Reshape: Layer {
    public let shape: [Int]
    public var isTraining = true
    public init(_ shape: [Int]) { self.shape = shape }
    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(x.rank >= 1, "Reshape: input must have a batch axis, got shape \(x.shape)")
        return x.reshaped([x.shape[0]] + shape)
    }
}
