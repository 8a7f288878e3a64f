import HoneNN
import HoneRandom
import HoneTensor

/// Auto-PGD with the cross-entropy loss, APGD-CE (Croce & Hein, "Reliable evaluation of
/// adversarial robustness with an ensemble of diverse parameter-free attacks", ICML 2020, Alg. 1),
/// the first component of AutoAttack. Step size η starts at 2ε and is halved per sample at the
/// checkpoints wⱼ = ⌈pⱼ·N⌉ (p₀ = 0, p₁ = 0.22, pⱼ₊₁ = pⱼ + max(pⱼ − pⱼ₋₁ − 0.03, 0.06)) when
/// fewer than ρ = 0.75 of the steps since the last checkpoint increased the loss, or when
/// neither η nor the best loss changed; a halving restarts from the best point. Updates use
/// momentum α = 0.75: z = Π(x⁽ᵏ⁾ + η·sign(∇)), x⁽ᵏ⁺¹⁾ = Π(x⁽ᵏ⁾ + α(z − x⁽ᵏ⁾) + (1 − α)(x⁽ᵏ⁾ − x⁽ᵏ⁻¹⁾)).
/// L2 uses the normalized gradient. Restarts keep each sample's strongest result.
///
/// ```swift
/// let apgd = try APGD(epsilon: 0.1, steps: 100)
/// ```
public struct APGD: Attack {
    public let name = "apgd-ce"
    public let settings: AttackSettings
    public static let momentum: Float = 0.75
    public static let rho: Float = 0.75

    public init(epsilon: Float, steps: Int = 100, restarts: Int = 1, norm: AttackNorm = .linf,
                range: ClosedRange<Float> = 0...1, targeted: Bool = false, seed: UInt64 = 0) throws {
        settings = try AttackSettings(epsilon: epsilon, norm: norm, steps: steps, stepSize: 2 * epsilon, restarts: restarts,
                                      range: range, targeted: targeted, seed: seed)
    }

    /// The checkpoint iterations of Croce & Hein (2020) §3.2 for `steps` = N, in the integer form
    /// of their reference implementation: the first interval is ⌊0.22·N⌋ steps, each next one
    /// ⌊0.03·N⌋ shorter but at least ⌊0.06·N⌋ (pⱼ₊₁ = pⱼ + max(pⱼ − pⱼ₋₁ − 0.03, 0.06)).
    public static func checkpoints(steps: Int) -> [Int] {
        var length = max(Int(0.22 * Double(steps)), 1)
        let decrease = max(Int(0.03 * Double(steps)), 1), minimum = max(Int(0.06 * Double(steps)), 1)
        var out: [Int] = [], at = length
        while at < steps {
            out.append(at)
            length = max(length - decrease, minimum)
            at += length
        }
        return out
    }

    public func perturb(_ model: any Layer, inputs: Tensor, labels: [Int32], targets: [Int32]?) throws -> Tensor {
        var oracle = try AttackOracle(model: model, inputs: inputs, labels: labels, targets: targets, settings: settings, attack: name)
        let x0 = inputs.scalars, f = oracle.features, s = settings, n = oracle.n
        let objective = LogitObjective.crossEntropy(goal: oracle.goal, targeted: s.targeted)
        let checks = Set(Self.checkpoints(steps: s.steps))
        let alpha = Self.momentum
        var overall = WorstCase(start: x0, features: f)
        try AttackOracle.withAttackMode(model) {
            for restart in 0..<s.restarts {
                var g = SeededGenerator(seed: s.seed, stream: UInt64(restart))
                var x = Perturbation.randomStart(x0, settings: s, features: f, generator: &g)
                var eta = [Float](repeating: s.stepSize, count: n)
                var r = try oracle.gradient(x, objective: objective)
                var best = WorstCase(start: x, features: f)
                best.offer(x, success: Perturbation.success(r.logits, classes: r.classes, goal: oracle.goal, targeted: s.targeted),
                           objective: r.values)
                var bestLoss = r.values, bestGrad = r.grad, bestPoint = x
                var previous = x
                var increases = [Int](repeating: 0, count: n)
                var lastCheck = 0
                var etaAtLastCheck = eta, bestLossAtLastCheck = bestLoss
                for k in 0..<s.steps {
                    // z = Π(x + η·step(∇)); the first step has no momentum.
                    var z = x
                    Perturbation.ascend(&z, grad: r.grad, stepSizes: { eta[$0] }, norm: s.norm, features: f)
                    Perturbation.project(&z, around: x0, settings: s, features: f)
                    var next = z
                    if k > 0 {
                        for i in next.indices { next[i] = x[i] + alpha * (z[i] - x[i]) + (1 - alpha) * (x[i] - previous[i]) }
                        Perturbation.project(&next, around: x0, settings: s, features: f)
                    }
                    previous = x; x = next
                    let loss = r.values
                    r = try oracle.gradient(x, objective: objective)
                    best.offer(x, success: Perturbation.success(r.logits, classes: r.classes, goal: oracle.goal, targeted: s.targeted),
                               objective: r.values)
                    for i in 0..<n {
                        if r.values[i] > loss[i] { increases[i] += 1 }
                        if r.values[i] > bestLoss[i] {
                            bestLoss[i] = r.values[i]
                            for q in i * f..<(i + 1) * f { bestPoint[q] = x[q]; bestGrad[q] = r.grad[q] }
                        }
                    }
                    guard checks.contains(k + 1) else { continue }
                    let span = Float(k + 1 - lastCheck)
                    for i in 0..<n {
                        let fewIncreases = Float(increases[i]) < Self.rho * span
                        let stalled = eta[i] == etaAtLastCheck[i] && bestLoss[i] == bestLossAtLastCheck[i]
                        etaAtLastCheck[i] = eta[i]; bestLossAtLastCheck[i] = bestLoss[i]
                        if fewIncreases || stalled {
                            eta[i] /= 2
                            // Restart this sample from its best point, without momentum.
                            for q in i * f..<(i + 1) * f { x[q] = bestPoint[q]; previous[q] = bestPoint[q]; r.grad[q] = bestGrad[q] }
                            r.values[i] = bestLoss[i]
                        }
                        increases[i] = 0
                    }
                    lastCheck = k + 1
                }
                overall.offer(best.x, success: best.success, objective: best.objective)
            }
        }
        return Tensor(shape: inputs.shape, scalars: overall.x)
    }
}
