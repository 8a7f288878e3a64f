import HoneNN
import HoneTensor

/// The norm that bounds an attack's perturbation δ = x′ − x.
public enum AttackNorm: String, Sendable, CaseIterable, Codable {
    /// ‖δ‖∞ ≤ ε: every pixel moves by at most ε.
    case linf
    /// ‖δ‖₂ ≤ ε per sample.
    case l2
}

/// The settings every attack reports with its figures: ε, norm, steps, step size, restarts,
/// valid input range, targeted or not, and the seed of its randomness.
///
/// ```swift
/// let s = try AttackSettings(epsilon: 0.1, steps: 50, restarts: 5)
/// print(s.stepSize)   // 0.005 (2.5·ε/steps, Madry et al. 2018)
/// ```
public struct AttackSettings: Sendable, Equatable, Codable {
    /// Perturbation budget (in the units of the input; pixels in [0, 1] here).
    public var epsilon: Float
    public var norm: AttackNorm
    /// Iterations (gradient steps, or queries for the black-box Square attack).
    public var steps: Int
    /// Step size α of iterative attacks.
    public var stepSize: Float
    /// Independent runs from fresh random starts; the per-sample worst case is kept.
    public var restarts: Int
    /// Valid input range: adversarial inputs are clamped into it.
    public var lower: Float
    public var upper: Float
    /// Targeted attacks push every input toward a given class instead of away from its label.
    public var targeted: Bool
    /// Seed of the attack's random starts and samples (`HoneRandom.SeededGenerator`).
    public var seed: UInt64

    /// Validates the settings. `stepSize` defaults to 2.5·ε/steps (Madry et al. 2018).
    /// Throws ``RobustnessError/invalidArgument(name:value:expected:)`` for ε < 0, steps < 1,
    /// restarts < 1, a non-positive step size or an empty range.
    public init(epsilon: Float, norm: AttackNorm = .linf, steps: Int = 1, stepSize: Float? = nil,
                restarts: Int = 1, range: ClosedRange<Float> = 0...1, targeted: Bool = false, seed: UInt64 = 0) throws {
        guard epsilon >= 0, epsilon.isFinite else {
            throw RobustnessError.invalidArgument(name: "eps", value: "\(epsilon)", expected: "a finite eps ≥ 0")
        }
        guard steps >= 1 else { throw RobustnessError.invalidArgument(name: "steps", value: "\(steps)", expected: "steps ≥ 1") }
        guard restarts >= 1 else {
            throw RobustnessError.invalidArgument(name: "restarts", value: "\(restarts)", expected: "restarts ≥ 1")
        }
        let alpha = stepSize ?? 2.5 * epsilon / Float(steps)
        guard alpha >= 0, alpha.isFinite else {
            throw RobustnessError.invalidArgument(name: "step_size", value: "\(alpha)", expected: "a finite step size ≥ 0")
        }
        guard range.upperBound > range.lowerBound else {
            throw RobustnessError.invalidArgument(name: "range", value: "\(range)", expected: "lower < upper")
        }
        self.epsilon = epsilon; self.norm = norm; self.steps = steps; self.stepSize = alpha
        self.restarts = restarts; lower = range.lowerBound; upper = range.upperBound
        self.targeted = targeted; self.seed = seed
    }
}

/// An adversarial attack on a classifier's logits: given inputs and labels, returns inputs
/// x′ within the ε-ball of `settings.norm` around x and inside the valid range, chosen to be
/// misclassified (or, when targeted, classified as the target).
///
/// Attacks are batched: `perturb` takes a whole `[N, …]` batch. The model is run in evaluation
/// mode with its parameters frozen (no weight gradients are computed) and restored afterwards.
///
/// ```swift
/// let pgd = try PGD(epsilon: 0.1, steps: 50, restarts: 5)
/// let adversarial = try pgd.perturb(model, inputs: x, labels: y)
/// ```
public protocol Attack: Sendable {
    /// Short name used in reports and on the command line ("pgd", "fgsm", "apgd-ce", …).
    var name: String { get }
    var settings: AttackSettings { get }
    /// False for black-box attacks that only query the model's outputs.
    var usesGradients: Bool { get }
    /// Adversarial versions of `inputs` (same shape). `targets` (one class per input) is
    /// required when `settings.targeted` is true.
    func perturb(_ model: any Layer, inputs: Tensor, labels: [Int32], targets: [Int32]?) throws -> Tensor
}

public extension Attack {
    var usesGradients: Bool { true }

    /// Untargeted convenience form.
    func perturb(_ model: any Layer, inputs: Tensor, labels: [Int32]) throws -> Tensor {
        try perturb(model, inputs: inputs, labels: labels, targets: nil)
    }

    /// One line naming the attack and every setting its figures depend on.
    var summary: String {
        let s = settings
        return "\(name) \(s.norm.rawValue) eps=\(s.epsilon) steps=\(s.steps) step_size=\(s.stepSize) restarts=\(s.restarts)"
            + (s.targeted ? " targeted" : "")
    }
}
