import HoneNN
import HoneTensor

/// Fast Gradient Sign Method (Goodfellow, Shlens & Szegedy, "Explaining and Harnessing
/// Adversarial Examples", ICLR 2015): one step x′ = clip(x + ε·sign(∇ₓ CE(f(x), y))) for L∞,
/// or x + ε·∇/‖∇‖₂ for L2 (the fast gradient method). Targeted: x − ε·sign(∇ₓ CE(f(x), t)).
///
/// ```swift
/// let fgsm = try FGSM(epsilon: 0.1)
/// let adversarial = try fgsm.perturb(model, inputs: x, labels: y)
/// ```
public struct FGSM: Attack {
    public let name = "fgsm"
    public let settings: AttackSettings

    public init(epsilon: Float, norm: AttackNorm = .linf, range: ClosedRange<Float> = 0...1, targeted: Bool = false) throws {
        settings = try AttackSettings(epsilon: epsilon, norm: norm, steps: 1, stepSize: epsilon, restarts: 1,
                                      range: range, targeted: targeted)
    }

    public func perturb(_ model: any Layer, inputs: Tensor, labels: [Int32], targets: [Int32]?) throws -> Tensor {
        var oracle = try AttackOracle(model: model, inputs: inputs, labels: labels, targets: targets, settings: settings, attack: name)
        let x0 = inputs.scalars, f = oracle.features, s = settings
        let objective = LogitObjective.crossEntropy(goal: oracle.goal, targeted: s.targeted)
        let g = try AttackOracle.withAttackMode(model) { try oracle.gradient(x0, objective: objective).grad }
        var x = x0
        Perturbation.ascend(&x, grad: g, stepSizes: { _ in s.epsilon }, norm: s.norm, features: f)
        Perturbation.project(&x, around: x0, settings: s, features: f)
        return Tensor(shape: inputs.shape, scalars: x)
    }
}
