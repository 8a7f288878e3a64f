import HoneTensor

/// Binds a ``GradientTransformation`` to a list of parameters and applies it: after
/// `loss.backward()`, `step()` turns every parameter's gradient into an update, adds it to
/// the parameter, and clears the gradient.
///
/// The step runs on raw buffers: the gradient buffers are transformed in place and every link
/// of the chain plus the final `θ += u` runs over one cache-sized chunk at a time, on the
/// compute pool. Parameters without a gradient this step are skipped (their state and step
/// count are untouched, as in PyTorch).
///
/// Drop the autodiff graph (the loss and activations) before `step()`: layers keep references
/// to their weights in the graph, and a shared weight buffer is copied before it is updated.
///
/// ```swift
/// let optimizer = Optimizer(model, chain(clipByGlobalNorm(1), adam(learningRate: 1e-3)))
/// for (x, y) in batches {
///     do { let loss = crossEntropy(model(x), y); loss.backward() }
///     optimizer.step()
/// }
/// ```
public final class Optimizer {
    /// The parameters, by dotted name, in the order the transformation was initialized with.
    public let parameters: [(name: String, parameter: Parameter)]
    /// The chain applied at each step.
    public let transformation: any GradientTransformation
    /// Number of `step()` calls so far.
    public internal(set) var stepCount = 0
    /// Multiplier on every learning rate (set by epoch-wise schedules and ReduceLROnPlateau).
    public var learningRateScale: Double = 1
    var parameterSteps: [Int]
    private let pipeline: Chain

    /// An optimizer for `parameters` (typically `model.trainableParameters`).
    public init(parameters: [(String, Parameter)], _ transformation: any GradientTransformation) {
        self.parameters = parameters.map { (name: $0.0, parameter: $0.1) }
        self.transformation = transformation
        parameterSteps = Array(repeating: 0, count: parameters.count)
        pipeline = Chain([transformation, ApplyUpdates()])
        pipeline.initialize(parameters.map { ParameterInfo(name: $0.0, shape: $0.1.shape) })
    }

    /// An optimizer for a model's trainable parameters.
    public convenience init(_ model: any Module, _ transformation: any GradientTransformation) {
        self.init(parameters: model.trainableParameters, transformation)
    }

    /// Clears every parameter's gradient.
    public func zeroGrad() { for (_, p) in parameters { p.zeroGrad() } }

    /// Applies one update from the accumulated gradients, then clears them.
    public func step() {
        var active: [(index: Int, grad: GradientBox)] = []
        for (i, (name, p)) in parameters.enumerated() {
            guard let g = p.grad else { continue }
            precondition(g.shape == p.shape,
                         "Optimizer.step: gradient of \(name) has shape \(g.shape), parameter has \(p.shape)")
            p.zeroGrad()                       // leaves the box as the only owner: updated in place
            active.append((i, GradientBox(g)))
        }
        guard !active.isEmpty else { return }
        stepCount += 1
        for (i, _) in active { parameterSteps[i] += 1 }
        let context = StepContext(step: stepCount, learningRateScale: learningRateScale)
        var slots: [UpdateBatch.Slot] = []
        slots.reserveCapacity(active.count)
        withSlots(active, 0, &slots) { pipeline.update(UpdateBatch(slots: $0), context: context) }
    }

    /// Opens the parameter and gradient buffers one after another (each access stays open
    /// until the whole step is done), then runs `body` with all of them.
    private func withSlots(_ active: [(index: Int, grad: GradientBox)], _ k: Int,
                           _ slots: inout [UpdateBatch.Slot], _ body: ([UpdateBatch.Slot]) -> Void) {
        if k == active.count { body(slots); return }
        let (index, box) = active[k]
        let p = parameters[index].parameter
        p.value.withUnsafeMutableBufferPointer { pv in
            box.tensor.withUnsafeMutableBufferPointer { pg in
                slots.append(.init(index: index, values: pv.baseAddress!, updates: pg.baseAddress!,
                                   count: pv.count, step: parameterSteps[index]))
                withSlots(active, k + 1, &slots, body)
            }
        }
    }
}

/// Holds a gradient so each one is its own variable while its buffer is open.
private final class GradientBox {
    var tensor: Tensor
    init(_ tensor: Tensor) { self.tensor = tensor }
}

/// The final link of every optimizer step: `θ ← θ + u`.
final class ApplyUpdates: ElementwiseTransformation {
    func apply(_ c: UpdateChunk, context: StepContext) {
        let p = c.mutableValues, u = c.updates
        for i in 0..<c.count { p[i] += u[i] }
    }
}
