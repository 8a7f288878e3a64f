import Foundation

/// A learning-rate schedule as a plain value: a function from the step count to a multiplier
/// of the base learning rate. Being a `Codable`, `Hashable` value, a schedule can be written in a
/// config file and tuned like any other hyperparameter.
///
/// Each case follows the PyTorch scheduler of the same name (`torch.optim.lr_scheduler`), so a
/// schedule stepped once per epoch (or per batch) gives the same learning rates as PyTorch's:
///
/// ```swift
/// let s = LearningRateSchedule.cosine(periodSteps: 10, minimum: 0.01)
/// s.learningRate(base: 0.1, step: 5)   // 0.055
/// let w = LearningRateSchedule.warmup(steps: 4, startFactor: 0.25, then: .exponential(gamma: 0.9))
/// ```
public indirect enum LearningRateSchedule: Codable, Hashable, Sendable {
    /// The base rate at every step.
    case constant
    /// `base · γ^⌊t / stepSize⌋` (PyTorch `StepLR`).
    case step(stepSize: Int, gamma: Double)
    /// `base · γ^(number of milestones ≤ t)` (PyTorch `MultiStepLR`).
    case multiStep(milestones: [Int], gamma: Double)
    /// `base · γ^t` (PyTorch `ExponentialLR`).
    case exponential(gamma: Double)
    /// `η_min + ½(base − η_min)(1 + cos(π t / T))` (PyTorch `CosineAnnealingLR`, closed form;
    /// Loshchilov & Hutter, SGDR, arXiv:1608.03983).
    case cosine(periodSteps: Int, minimum: Double)
    /// Cosine annealing with warm restarts: period `T₀`, multiplied by `periodMultiplier` at each
    /// restart (PyTorch `CosineAnnealingWarmRestarts`, SGDR).
    case cosineWarmRestarts(firstPeriod: Int, periodMultiplier: Int, minimum: Double)
    /// Linear ramp of the factor from `startFactor` to 1 over `steps` steps (PyTorch `LinearLR`),
    /// then `then` evaluated at `t − steps`.
    case warmup(steps: Int, startFactor: Double, then: LearningRateSchedule)
    /// One-cycle policy (Smith & Topin, arXiv:1708.07120; PyTorch `OneCycleLR`, two phases):
    /// from `maximum/divFactor` up to `maximum` over `pctStart` of `totalSteps`, then down to
    /// `maximum/(divFactor·finalDivFactor)`. The base rate is ignored: the peak is `maximum`.
    case oneCycle(maximum: Double, totalSteps: Int, pctStart: Double = 0.3, divFactor: Double = 25,
                  finalDivFactor: Double = 1e4, cosineAnneal: Bool = true)

    /// The learning rate at `step` (0-based: the rate used for the first epoch/batch is step 0).
    public func learningRate(base: Double, step t: Int) -> Double {
        precondition(t >= 0, "LearningRateSchedule: step must be ≥ 0, got \(t)")
        switch self {
        case .constant:
            return base
        case let .step(stepSize, gamma):
            return base * pow(gamma, Double(t / max(stepSize, 1)))
        case let .multiStep(milestones, gamma):
            return base * pow(gamma, Double(milestones.filter { $0 <= t }.count))
        case let .exponential(gamma):
            return base * pow(gamma, Double(t))
        case let .cosine(period, minimum):
            return minimum + (base - minimum) * (1 + cos(Double.pi * Double(t) / Double(max(period, 1)))) / 2
        case let .cosineWarmRestarts(first, mult, minimum):
            var tCur = t, ti = max(first, 1)
            if mult <= 1 {
                tCur = t % ti
            } else {
                while tCur >= ti { tCur -= ti; ti *= mult }
            }
            return minimum + (base - minimum) * (1 + cos(Double.pi * Double(tCur) / Double(ti))) / 2
        case let .warmup(steps, startFactor, then):
            if t < steps {
                let factor = startFactor + (1 - startFactor) * Double(t) / Double(steps)
                return base * factor
            }
            return then.learningRate(base: base, step: t - steps)
        case let .oneCycle(maximum, total, pctStart, div, finalDiv, cosineAnneal):
            let initial = maximum / div, last = initial / finalDiv
            let phase1End = pctStart * Double(total) - 1
            func anneal(_ a: Double, _ b: Double, _ p: Double) -> Double {
                cosineAnneal ? b + (a - b) * (1 + cos(Double.pi * p)) / 2 : a + (b - a) * p
            }
            let step = Double(min(t, total - 1))
            if step <= phase1End { return anneal(initial, maximum, step / phase1End) }
            return anneal(maximum, last, (step - phase1End) / (Double(total) - 1 - phase1End))
        }
    }
}
