import HoneNN
import HoneTensor

/// DeepFool (Moosavi-Dezfooli, Fawzi & Frossard, "DeepFool: a simple and accurate method to
/// fool deep neural networks", CVPR 2016), multi-class, for L2 or L∞. Each iteration linearizes
/// the classifier at x and steps to the nearest linearized decision boundary:
/// l* = argmin_{k≠ŷ} |f_k − f_ŷ| / ‖∇f_k − ∇f_ŷ‖_q (q the dual norm), r = |f_l*|/‖w_l*‖_q^q·|w|^(q−1)·sign(w)
/// (L2: r = |f|/‖w‖₂²·w; L∞: r = |f|/‖w‖₁·sign(w)). Iterates until the label flips or `steps`
/// run out; the total perturbation is scaled by (1 + overshoot), then projected onto the ε-ball
/// (so reported robust accuracy respects the budget) and clamped into the valid range.
/// Targeted: only the boundary with the target class is crossed.
///
/// ```swift
/// let df = try DeepFool(epsilon: 1.5, norm: .l2, steps: 50)
/// ```
public struct DeepFool: Attack {
    public let name = "deepfool"
    public let settings: AttackSettings
    public let overshoot: Float

    public init(epsilon: Float, norm: AttackNorm = .l2, steps: Int = 50, overshoot: Float = 0.02,
                range: ClosedRange<Float> = 0...1, targeted: Bool = false) throws {
        guard overshoot >= 0 else {
            throw RobustnessError.invalidArgument(name: "overshoot", value: "\(overshoot)", expected: "overshoot ≥ 0")
        }
        settings = try AttackSettings(epsilon: epsilon, norm: norm, steps: steps, stepSize: 0, range: range, targeted: targeted)
        self.overshoot = overshoot
    }

    public func perturb(_ model: any Layer, inputs: Tensor, labels: [Int32], targets: [Int32]?) throws -> Tensor {
        var oracle = try AttackOracle(model: model, inputs: inputs, labels: labels, targets: targets, settings: settings, attack: name)
        let x0 = inputs.scalars, f = oracle.features, s = settings, n = oracle.n
        var total = [Float](repeating: 0, count: x0.count)   // accumulated r
        var active = Array(0..<n)
        try AttackOracle.withAttackMode(model) {
            for _ in 0..<s.steps where !active.isEmpty {
                // Current point of the active samples: x0 + (1 + overshoot)·r, projected onto the
                // ε-ball and the valid range (so a success found here survives the budget).
                var x = [Float](repeating: 0, count: active.count * f), origin = x
                for (a, r) in active.enumerated() {
                    for k in 0..<f {
                        origin[a * f + k] = x0[r * f + k]
                        x[a * f + k] = x0[r * f + k] + (1 + overshoot) * total[r * f + k]
                    }
                }
                Perturbation.project(&x, around: origin, settings: s, features: f)
                // Continue from the projected point (clamped pixels cannot move further).
                for (a, r) in active.enumerated() {
                    for k in 0..<f { total[r * f + k] = (x[a * f + k] - x0[r * f + k]) / (1 + overshoot) }
                }
                var current: [Int] = []
                let jac = try oracle.jacobianRows(x, rows: active.count) { logits, c in
                    // One seed per class: ∂Z_k/∂x for every active row.
                    current = Perturbation.predictions(logits, classes: c).map(Int.init)
                    return (0..<c).map { k in
                        var seed = [Float](repeating: 0, count: active.count * c)
                        for a in 0..<active.count { seed[a * c + k] = 1 }
                        return seed
                    }
                }
                let c = jac.classes
                var still: [Int] = []
                for (a, r) in active.enumerated() {
                    let y = current[a], goal = Int(oracle.goal[r])
                    let done = s.targeted ? y == goal : y != goal
                    if done { continue }
                    still.append(r)
                    let candidates = s.targeted ? [goal] : (0..<c).filter { $0 != y }
                    var bestRatio = Float.infinity, bestK = -1
                    for k in candidates {
                        let fk = jac.logits[a * c + k] - jac.logits[a * c + y]
                        var dual: Float = 0
                        for i in 0..<f {
                            let w = jac.grads[k][a * f + i] - jac.grads[y][a * f + i]
                            dual += s.norm == .l2 ? w * w : abs(w)
                        }
                        let wn = s.norm == .l2 ? dual.squareRoot() : dual
                        let ratio = abs(fk) / max(wn, 1e-12)
                        if ratio < bestRatio { bestRatio = ratio; bestK = k }
                    }
                    guard bestK >= 0 else { continue }
                    var dual: Float = 0
                    for i in 0..<f {
                        let w = jac.grads[bestK][a * f + i] - jac.grads[y][a * f + i]
                        dual += s.norm == .l2 ? w * w : abs(w)
                    }
                    let fk = abs(jac.logits[a * c + bestK] - jac.logits[a * c + y])
                    let scale = (fk + 1e-4) / max(dual, 1e-12)
                    for i in 0..<f {
                        let w = jac.grads[bestK][a * f + i] - jac.grads[y][a * f + i]
                        total[r * f + i] += s.norm == .l2 ? scale * w : scale * (w > 0 ? 1 : w < 0 ? -1 : 0)
                    }
                }
                active = still
            }
        }
        var x = x0
        for i in x.indices { x[i] += (1 + overshoot) * total[i] }
        Perturbation.project(&x, around: x0, settings: s, features: f)
        return Tensor(shape: inputs.shape, scalars: x)
    }
}
