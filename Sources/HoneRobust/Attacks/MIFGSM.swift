import HoneNN
import HoneTensor

/// Momentum Iterative FGSM (Dong et al., "Boosting Adversarial Attacks with Momentum", CVPR
/// 2018): g ← μ·g + ∇ₓCE/‖∇ₓCE‖₁ per sample, then x ← Π(x + α·sign(g)) (L∞) or
/// Π(x + α·g/‖g‖₂) (L2), from the clean input, with α = ε/steps and μ = 1 by default.
///
/// ```swift
/// let mi = try MIFGSM(epsilon: 0.1, steps: 10)
/// let adversarial = try mi.perturb(model, inputs: x, labels: y)
/// ```
public struct MIFGSM: Attack {
    public let name = "mi-fgsm"
    public let settings: AttackSettings
    /// Decay factor μ of the accumulated gradient.
    public let decay: Float

    public init(epsilon: Float, steps: Int = 10, stepSize: Float? = nil, decay: Float = 1, norm: AttackNorm = .linf,
                range: ClosedRange<Float> = 0...1, targeted: Bool = false) throws {
        guard steps >= 1 else { throw RobustnessError.invalidArgument(name: "steps", value: "\(steps)", expected: "steps ≥ 1") }
        guard decay >= 0 else { throw RobustnessError.invalidArgument(name: "decay", value: "\(decay)", expected: "decay ≥ 0") }
        settings = try AttackSettings(epsilon: epsilon, norm: norm, steps: steps, stepSize: stepSize ?? epsilon / Float(steps),
                                      range: range, targeted: targeted)
        self.decay = decay
    }

    public func perturb(_ model: any Layer, inputs: Tensor, labels: [Int32], targets: [Int32]?) throws -> Tensor {
        var oracle = try AttackOracle(model: model, inputs: inputs, labels: labels, targets: targets, settings: settings, attack: name)
        let x0 = inputs.scalars, f = oracle.features, s = settings, n = oracle.n
        let objective = LogitObjective.crossEntropy(goal: oracle.goal, targeted: s.targeted)
        var x = x0
        var momentum = [Float](repeating: 0, count: x0.count)
        try AttackOracle.withAttackMode(model) {
            for _ in 0..<s.steps {
                let g = try oracle.gradient(x, objective: objective).grad
                for r in 0..<n {
                    var l1: Float = 0
                    for k in r * f..<(r + 1) * f { l1 += abs(g[k]) }
                    let inv = 1 / max(l1, 1e-12)
                    for k in r * f..<(r + 1) * f { momentum[k] = decay * momentum[k] + g[k] * inv }
                }
                Perturbation.ascend(&x, grad: momentum, stepSizes: { _ in s.stepSize }, norm: s.norm, features: f)
                Perturbation.project(&x, around: x0, settings: s, features: f)
            }
        }
        return Tensor(shape: inputs.shape, scalars: x)
    }
}
