import HoneTensor

/// A trainable tensor owned by a layer, addressable by a stable dotted name
/// (`"conv1.weight"`) once the layer sits in a model.
///
/// A parameter is a reference type so that optimizers, checkpoints, pruning masks and
/// gradient all-reduce all see and update the same variable. Its `value` is an autodiff leaf
/// while `isTrainable` is true; after `loss.backward()`, `grad` holds ∂loss/∂value.
///
/// ```swift
/// let w = Parameter(Tensor.zeros([10, 784]))
/// w.isTrainable = false            // frozen: no gradient, optimizers skip it
/// ```
public final class Parameter: @unchecked Sendable {
    /// The current values. Replacing it keeps the parameter trainable or frozen as before.
    public var value: Tensor {
        didSet { value = isTrainable ? value.detached().requiringGrad() : value.detached() }
    }

    /// Whether gradients flow into this parameter and optimizers update it.
    public var isTrainable: Bool {
        didSet { if oldValue != isTrainable { value = value.detached() } }
    }

    public init(_ value: Tensor, trainable: Bool = true) {
        self.isTrainable = trainable
        self.value = trainable ? value.detached().requiringGrad() : value.detached()
    }

    /// The gradient accumulated by `backward()`, nil if none yet (or frozen).
    public var grad: Tensor? { isTrainable ? value.grad : nil }

    /// Clears the accumulated gradient.
    public func zeroGrad() { value.zeroGrad() }

    public var shape: [Int] { value.shape }
    public var count: Int { value.count }
}

/// A non-trainable tensor that is part of a layer's state and is saved with it
/// (for example BatchNorm's running mean and variance).
public final class Buffer: @unchecked Sendable {
    public var value: Tensor
    public init(_ value: Tensor) { self.value = value.detached() }
}
