import Foundation

/// The gradual pruning schedule of Zhu & Gupta 2017 ("To prune, or not to prune", arXiv:1710.01878):
/// sparsity rises from `initialSparsity` s_i to `finalSparsity` s_f over optimizer steps
/// `beginStep…endStep` as s_t = s_f + (s_i − s_f)·(1 − p)³ with p = (t − begin)/(end − begin),
/// and stays at s_f afterwards. Pruning happens every `frequency` steps.
///
/// ```swift
/// let s = PolynomialDecaySchedule(initialSparsity: 0, finalSparsity: 0.9, beginStep: 0, endStep: 1000)
/// s.sparsity(atStep: 500)   // 0.9 − 0.9·0.125 = 0.7875
/// ```
public struct PolynomialDecaySchedule: Sendable, Equatable {
    public var initialSparsity: Double
    public var finalSparsity: Double
    public var beginStep: Int
    public var endStep: Int
    public var frequency: Int
    /// The exponent (3 in the paper).
    public var power: Double

    /// Throws `CompressionError.invalidSparsity` for sparsities outside [0, 1) and
    /// `.invalidArgument` unless beginStep ≤ endStep and frequency ≥ 1.
    public init(initialSparsity: Double = 0, finalSparsity: Double, beginStep: Int = 0, endStep: Int,
                frequency: Int = 100, power: Double = 3) throws {
        for s in [initialSparsity, finalSparsity] where !(s >= 0 && s < 1) { throw CompressionError.invalidSparsity(s) }
        guard beginStep >= 0, endStep >= beginStep else {
            throw CompressionError.invalidArgument(name: "schedule steps", reason: "expected 0 ≤ begin ≤ end, got \(beginStep)…\(endStep)")
        }
        guard frequency >= 1 else { throw CompressionError.invalidArgument(name: "frequency", reason: "expected ≥ 1, got \(frequency)") }
        guard power > 0 else { throw CompressionError.invalidArgument(name: "power", reason: "expected > 0, got \(power)") }
        self.initialSparsity = initialSparsity; self.finalSparsity = finalSparsity
        self.beginStep = beginStep; self.endStep = endStep; self.frequency = frequency; self.power = power
    }

    /// The target sparsity s_t after `step` optimizer steps (s_i before `beginStep`).
    public func sparsity(atStep step: Int) -> Double {
        if step <= beginStep { return endStep == beginStep && step == beginStep ? finalSparsity : initialSparsity }
        if step >= endStep { return finalSparsity }
        let p = Double(step - beginStep) / Double(endStep - beginStep)
        return finalSparsity + (initialSparsity - finalSparsity) * pow3(1 - p)
    }

    /// True when the masks should be recomputed after `step` steps: every `frequency` steps
    /// inside the ramp, and at its end.
    public func prunesAt(step: Int) -> Bool {
        guard step >= beginStep, step <= endStep else { return false }
        return step == endStep || (step - beginStep) % frequency == 0
    }

    private func pow3(_ x: Double) -> Double { power == 3 ? x * x * x : pow(x, power) }
}

