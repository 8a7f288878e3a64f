import Foundation
import HoneNN
import HoneTensor

/// The Carlini–Wagner L2 attack (Carlini & Wagner, "Towards Evaluating the Robustness of Neural
/// Networks", IEEE S&P 2017): in tanh space x′ = lo + (hi − lo)·(tanh(w) + 1)/2 (always valid),
/// minimize ‖x′ − x‖₂² + c·max(Z_y − max_{j≠y} Z_j, −κ) (targeted: max(max_{j≠t} Z_j − Z_t, −κ))
/// with Adam (lr 0.01) for `steps` iterations, and binary-search the constant c per sample over
/// `searchSteps` rounds (c ×10 while failing, bisection once it succeeds). Keeps the smallest
/// successful perturbation; the result is projected onto the L2 ε-ball.
///
/// ```swift
/// let cw = try CarliniWagner(epsilon: 2, steps: 100, searchSteps: 5)
/// ```
public struct CarliniWagner: Attack {
    public let name = "cw-l2"
    public let settings: AttackSettings
    public let confidence: Float
    public let initialConstant: Float
    public let searchSteps: Int
    public let learningRate: Float

    public init(epsilon: Float, steps: Int = 100, searchSteps: Int = 5, initialConstant: Float = 1, confidence: Float = 0,
                learningRate: Float = 0.01, range: ClosedRange<Float> = 0...1, targeted: Bool = false) throws {
        guard searchSteps >= 1 else {
            throw RobustnessError.invalidArgument(name: "search_steps", value: "\(searchSteps)", expected: "search_steps ≥ 1")
        }
        guard initialConstant > 0, confidence >= 0, learningRate > 0 else {
            throw RobustnessError.invalidArgument(name: "c/confidence/learning_rate", value: "\(initialConstant)/\(confidence)/\(learningRate)",
                                                  expected: "c > 0, confidence ≥ 0, learning rate > 0")
        }
        settings = try AttackSettings(epsilon: epsilon, norm: .l2, steps: steps, stepSize: learningRate, range: range, targeted: targeted)
        self.searchSteps = searchSteps; self.initialConstant = initialConstant
        self.confidence = confidence; self.learningRate = learningRate
    }

    public func perturb(_ model: any Layer, inputs: Tensor, labels: [Int32], targets: [Int32]?) throws -> Tensor {
        var oracle = try AttackOracle(model: model, inputs: inputs, labels: labels, targets: targets, settings: settings, attack: name)
        let x0 = inputs.scalars, f = oracle.features, s = settings, n = oracle.n
        let lo = s.lower, span = s.upper - s.lower
        // w₀ = atanh of the clean input mapped to (−1, 1), kept slightly inside.
        let w0 = x0.map { atanhf(min(max(2 * ($0 - lo) / span - 1, -0.999999), 0.999999)) }
        var c = [Float](repeating: initialConstant, count: n)
        var lowC = [Float](repeating: 0, count: n), highC = [Float](repeating: .infinity, count: n)
        var bestL2 = [Float](repeating: .infinity, count: n)
        var bestX = x0, lastX = x0
        let margin = LogitObjective.margin(goal: oracle.goal, targeted: s.targeted)
        try AttackOracle.withAttackMode(model) {
            for _ in 0..<searchSteps {
                var w = w0, m = [Float](repeating: 0, count: w.count), v = m
                var succeeded = [Bool](repeating: false, count: n)
                for t in 1...s.steps {
                    let x = w.map { lo + span * (tanhf($0) + 1) / 2 }
                    // Gradient of c·max(−margin, −κ) w.r.t. x: hinge active while margin < κ.
                    let r = try oracle.gradient(x) { logits, classes in
                        let (values, d) = margin(logits, classes)
                        var dd = [Float](repeating: 0, count: d.count)
                        for i in 0..<n where values[i] < confidence {
                            for j in 0..<classes { dd[i * classes + j] = -c[i] * d[i * classes + j] }
                        }
                        return (values, dd)
                    }
                    let success = Perturbation.success(r.logits, classes: r.classes, goal: oracle.goal, targeted: s.targeted)
                    for i in 0..<n {
                        var l2: Float = 0
                        for k in i * f..<(i + 1) * f { let d = x[k] - x0[k]; l2 += d * d }
                        if success[i] && r.values[i] >= confidence {
                            succeeded[i] = true
                            if l2 < bestL2[i] { bestL2[i] = l2; for k in i * f..<(i + 1) * f { bestX[k] = x[k] } }
                        }
                    }
                    // Adam step on w (Kingma & Ba 2015); d/dw x = span/2·(1 − tanh²w).
                    let b1: Float = 0.9, b2: Float = 0.999
                    let c1 = 1 - powf(b1, Float(t)), c2 = 1 - powf(b2, Float(t))
                    for k in w.indices {
                        let th = tanhf(w[k])
                        let g = (2 * (x[k] - x0[k]) + r.grad[k]) * span / 2 * (1 - th * th)
                        m[k] = b1 * m[k] + (1 - b1) * g
                        v[k] = b2 * v[k] + (1 - b2) * g * g
                        w[k] -= learningRate * (m[k] / c1) / ((v[k] / c2).squareRoot() + 1e-8)
                    }
                    if t == s.steps { lastX = w.map { lo + span * (tanhf($0) + 1) / 2 } }
                }
                for i in 0..<n {
                    if succeeded[i] {
                        highC[i] = min(highC[i], c[i]); c[i] = (lowC[i] + highC[i]) / 2
                    } else {
                        lowC[i] = max(lowC[i], c[i]); c[i] = highC[i].isFinite ? (lowC[i] + highC[i]) / 2 : c[i] * 10
                    }
                }
            }
        }
        var x = bestX
        for i in 0..<n where !bestL2[i].isFinite { for k in i * f..<(i + 1) * f { x[k] = lastX[k] } }
        Perturbation.project(&x, around: x0, settings: s, features: f)
        return Tensor(shape: inputs.shape, scalars: x)
    }
}
