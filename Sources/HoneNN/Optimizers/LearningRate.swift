/// A learning rate: a constant, or a function of the optimizer step.
///
/// Float literals give a constant; `.scheduled` follows a ``LearningRateSchedule`` stepped
/// once per optimizer step (per batch); `.inverseTimeDecay` is Adagrad's
/// `γ / (1 + (t − 1)·η)` (PyTorch `Adagrad(lr_decay:)`).
///
/// ```swift
/// let a: LearningRate = 1e-3
/// let b = LearningRate.scheduled(base: 0.1, .cosine(periodSteps: 4690, minimum: 0))
/// ```
public enum LearningRate: Hashable, Sendable, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
    case constant(Double)
    case scheduled(base: Double, LearningRateSchedule)
    case inverseTimeDecay(base: Double, decay: Double)

    public init(floatLiteral value: Double) { self = .constant(value) }
    public init(integerLiteral value: Int) { self = .constant(Double(value)) }

    /// The rate for optimizer step `step` (1 on the first step).
    public func value(atStep step: Int) -> Double {
        switch self {
        case let .constant(v): return v
        case let .scheduled(base, schedule): return schedule.learningRate(base: base, step: max(step - 1, 0))
        case let .inverseTimeDecay(base, decay): return base / (1 + Double(max(step - 1, 0)) * decay)
        }
    }
}

/// Multiplies updates by `−learningRate` (times the context's `learningRateScale`): the last
/// link of every optimizer (Optax `scale_by_learning_rate`).
///
/// ```swift
/// let opt = chain(scaleByAdam(), scaleByLearningRate(.scheduled(base: 1e-3, .exponential(gamma: 0.999))))
/// ```
public final class ScaleByLearningRate: ElementwiseTransformation {
    public let learningRate: LearningRate
    public init(_ learningRate: LearningRate) { self.learningRate = learningRate }

    public func apply(_ c: UpdateChunk, context: StepContext) {
        let s = Float(-learningRate.value(atStep: context.step) * context.learningRateScale)
        let u = c.updates
        for i in 0..<c.count { u[i] *= s }
    }
}

/// Multiplies updates by `−learningRate` (see ``ScaleByLearningRate``).
public func scaleByLearningRate(_ learningRate: LearningRate) -> ScaleByLearningRate {
    ScaleByLearningRate(learningRate)
}

/// Multiplies updates by a constant factor (Optax `scale`).
///
/// ```swift
/// let ascent = chain(scale(-1), scaleByLearningRate(0.1))   // gradient ascent
/// ```
public final class Scale: ElementwiseTransformation {
    public let factor: Float
    public init(_ factor: Float) { self.factor = factor }
    public func apply(_ c: UpdateChunk, context: StepContext) {
        let u = c.updates, s = factor
        for i in 0..<c.count { u[i] *= s }
    }
}

/// Multiplies updates by `factor` (see ``Scale``).
public func scale(_ factor: Float) -> Scale { Scale(factor) }
