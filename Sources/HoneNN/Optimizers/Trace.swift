/// SGD momentum in PyTorch's form (`torch.optim.SGD`; Sutskever et al., ICML 2013 for the
/// Nesterov variant):
///
///     b₁ = g,  bₜ = μ·bₜ₋₁ + (1−τ)·g
///     u = g + μ·bₜ  (Nesterov)   or   u = bₜ
///
/// The learning rate stays outside the buffer (PyTorch, not Sutskever's `v = μv + γg`), so
/// changing it with a schedule does not rescale the accumulated momentum.
///
/// ```swift
/// let sgdNesterov = chain(trace(momentum: 0.9, nesterov: true), scaleByLearningRate(0.1))
/// ```
public final class Trace: ElementwiseTransformation {
    public let momentum: Float, dampening: Float, nesterov: Bool
    var buffer: StateBuffer?

    public init(momentum: Float, dampening: Float = 0, nesterov: Bool = false) {
        precondition(!nesterov || (momentum > 0 && dampening == 0),
                     "trace: Nesterov momentum needs momentum > 0 and zero dampening (got \(momentum), \(dampening))")
        self.momentum = momentum; self.dampening = dampening; self.nesterov = nesterov
    }

    public func initialize(_ parameters: [ParameterInfo]) { buffer = StateBuffer(parameters) }

    /// The momentum buffer of parameter `index`.
    public func momentumBuffer(_ index: Int) -> [Float] { buffer?.values(index) ?? [] }

    public func apply(_ c: UpdateChunk, context: StepContext) {
        guard let buffer else { preconditionFailure("trace: used before initialize(_:)") }
        let u = c.updates, b = buffer.pointer(for: c), mu = momentum, keep = 1 - dampening
        if c.step == 1 {
            for i in 0..<c.count { b[i] = u[i] }
        } else {
            for i in 0..<c.count { b[i] = mu * b[i] + keep * u[i] }
        }
        if nesterov {
            for i in 0..<c.count { u[i] += mu * b[i] }
        } else {
            for i in 0..<c.count { u[i] = b[i] }
        }
    }
}

/// SGD momentum (see ``Trace``).
public func trace(momentum: Float, dampening: Float = 0, nesterov: Bool = false) -> Trace {
    Trace(momentum: momentum, dampening: dampening, nesterov: nesterov)
}
