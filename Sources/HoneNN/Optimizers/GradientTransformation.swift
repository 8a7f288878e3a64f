/// One link of an optimizer: turns incoming updates (at first the gradients) into outgoing
/// updates, in place. Optimizers are chains of such links, as in Optax (DeepMind,
/// `optax.GradientTransformation`): `chain(clipByGlobalNorm(1), adam(learningRate: 1e-3))`.
///
/// Updates follow Optax's sign convention: the final update is *added* to the parameters,
/// so `scaleByLearningRate` multiplies by `−learningRate`.
///
/// Most links are elementwise (see ``ElementwiseTransformation``): a chain then runs every
/// link over one cache-sized chunk of a parameter before moving on, so a whole optimizer step
/// reads and writes each parameter, gradient and state array once.
///
/// ```swift
/// final class Negate: ElementwiseTransformation {
///     func apply(_ c: UpdateChunk, context: StepContext) {
///         for i in 0..<c.count { c.updates[i] = -c.updates[i] }
///     }
/// }
/// ```
public protocol GradientTransformation: AnyObject {
    /// Called once, before the first update, with the parameters this link will see (in the
    /// order of `UpdateChunk.parameter` / `UpdateBatch` indices). Allocate state here.
    func initialize(_ parameters: [ParameterInfo])
    /// Transforms all updates of one optimizer step in place.
    func update(_ batch: UpdateBatch, context: StepContext)
}

/// A link whose work is independent per element once an optional `prepare` pass has seen
/// the complete updates (global-norm clipping computes its norm there).
public protocol ElementwiseTransformation: GradientTransformation {
    /// True when `prepare` must see every update before any chunk is applied.
    var needsPrepare: Bool { get }
    /// Whole-batch pass run before `apply` (default: nothing).
    func prepare(_ batch: UpdateBatch, context: StepContext)
    /// Transforms one chunk of one parameter's updates in place.
    func apply(_ chunk: UpdateChunk, context: StepContext)
}

public extension ElementwiseTransformation {
    var needsPrepare: Bool { false }
    func prepare(_ batch: UpdateBatch, context: StepContext) {}
    func initialize(_ parameters: [ParameterInfo]) {}
    func update(_ batch: UpdateBatch, context: StepContext) {
        if needsPrepare { prepare(batch, context: context) }
        batch.forEachChunk { apply($0, context: context) }
    }
}

/// What a link learns about one parameter at initialization.
public struct ParameterInfo: Sendable, Hashable {
    /// Dotted name, e.g. `"conv1.weight"`.
    public let name: String
    public let shape: [Int]
    /// Number of scalars.
    public var count: Int { shape.reduce(1, *) }

    public init(name: String, shape: [Int]) { self.name = name; self.shape = shape }
}

/// Step-wide values every link sees.
public struct StepContext: Sendable {
    /// Number of optimizer steps taken so far, this one included (1 on the first step).
    public let step: Int
    /// Multiplier on every learning rate, set by callbacks (an epoch-wise schedule,
    /// ReduceLROnPlateau); 1 by default.
    public let learningRateScale: Double

    public init(step: Int, learningRateScale: Double = 1) {
        self.step = step; self.learningRateScale = learningRateScale
    }
}
