import HoneNN
import HoneRandom
import HoneTensor

/// Projected Gradient Descent (Madry et al., "Towards Deep Learning Models Resistant to
/// Adversarial Attacks", ICLR 2018), L∞ or L2: from a uniform random start in the ε-ball,
/// `steps` ascent steps x ← Π_{B(x₀,ε)∩[lo,hi]}(x + α·sign(∇ₓ CE)) (L∞; α·∇/‖∇‖₂ for L2).
/// With `restarts` > 1 every sample keeps its strongest result over the runs (a success beats a
/// failure; otherwise the higher loss). Without a random start this is BIM (see ``BIM``).
///
/// ```swift
/// let pgd = try PGD(epsilon: 0.1, steps: 50, restarts: 5)          // α = 2.5·ε/steps
/// let adversarial = try pgd.perturb(model, inputs: x, labels: y)
/// ```
public struct PGD: Attack {
    public var name: String { randomStart ? "pgd" : "bim" }
    public let settings: AttackSettings
    /// Start from a uniform random point of the ε-ball (true for PGD; false is BIM).
    public let randomStart: Bool

    public init(epsilon: Float, steps: Int = 10, stepSize: Float? = nil, restarts: Int = 1, norm: AttackNorm = .linf,
                randomStart: Bool = true, range: ClosedRange<Float> = 0...1, targeted: Bool = false, seed: UInt64 = 0) throws {
        settings = try AttackSettings(epsilon: epsilon, norm: norm, steps: steps, stepSize: stepSize, restarts: restarts,
                                      range: range, targeted: targeted, seed: seed)
        self.randomStart = randomStart
    }

    public func perturb(_ model: any Layer, inputs: Tensor, labels: [Int32], targets: [Int32]?) throws -> Tensor {
        var oracle = try AttackOracle(model: model, inputs: inputs, labels: labels, targets: targets, settings: settings, attack: name)
        let x0 = inputs.scalars, f = oracle.features, s = settings
        let objective = LogitObjective.crossEntropy(goal: oracle.goal, targeted: s.targeted)
        var best = WorstCase(start: x0, features: f)
        try AttackOracle.withAttackMode(model) {
            for restart in 0..<s.restarts {
                var g = SeededGenerator(seed: s.seed, stream: UInt64(restart))
                var x = randomStart ? Perturbation.randomStart(x0, settings: s, features: f, generator: &g) : x0
                for _ in 0..<s.steps {
                    let r = try oracle.gradient(x, objective: objective)
                    // The iterate just evaluated may already be the strongest (e.g. the random start).
                    best.offer(x, success: Perturbation.success(r.logits, classes: r.classes, goal: oracle.goal, targeted: s.targeted),
                               objective: r.values)
                    Perturbation.ascend(&x, grad: r.grad, stepSizes: { _ in s.stepSize }, norm: s.norm, features: f)
                    Perturbation.project(&x, around: x0, settings: s, features: f)
                }
                let out = oracle.logits(x)
                let (values, _) = objective(out.values, out.classes)
                best.offer(x, success: Perturbation.success(out.values, classes: out.classes, goal: oracle.goal, targeted: s.targeted),
                           objective: values)
            }
        }
        return Tensor(shape: inputs.shape, scalars: best.x)
    }
}
