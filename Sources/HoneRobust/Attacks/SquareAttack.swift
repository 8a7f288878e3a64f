import HoneNN
import HoneRandom
import HoneTensor

/// The Square attack, L∞ (Andriushchenko, Croce, Flammarion & Hein, "Square Attack: a
/// query-efficient black-box adversarial attack via random search", ECCV 2020, Alg. 1). Uses
/// only the model's logits, never its gradients, so it is the reference for gradient-masking
/// checks. Starts from vertical stripes of ±ε, then per query proposes for every unfinished
/// sample a random square window of side s = max(1, round(√(p·H·W))) (≤ H − 1) set to ±ε per
/// channel, and keeps it when the margin loss Z_y − max_{j≠y} Z_j decreases. The fraction p
/// starts at `pInit` and is halved at 10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000 of 10,000
/// (rescaled to the query budget `steps`). Input `[N, C, H, W]`.
///
/// ```swift
/// let square = try SquareAttack(epsilon: 0.1, queries: 1000)
/// ```
public struct SquareAttack: Attack {
    public let name = "square"
    public let settings: AttackSettings
    public let pInit: Float
    public var usesGradients: Bool { false }

    public init(epsilon: Float, queries: Int = 1000, pInit: Float = 0.8, restarts: Int = 1, range: ClosedRange<Float> = 0...1,
                targeted: Bool = false, seed: UInt64 = 0) throws {
        guard pInit > 0 && pInit <= 1 else {
            throw RobustnessError.invalidArgument(name: "p_init", value: "\(pInit)", expected: "p_init in (0, 1]")
        }
        settings = try AttackSettings(epsilon: epsilon, norm: .linf, steps: queries, stepSize: epsilon, restarts: restarts,
                                      range: range, targeted: targeted, seed: seed)
        self.pInit = pInit
    }

    /// The square's area fraction at query `it` of `total` (the paper's schedule).
    public static func fraction(pInit: Float, iteration it: Int, total: Int) -> Float {
        let scaled = Int(Double(it) / Double(max(total, 1)) * 10_000)
        let marks = [10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000]
        let halvings = marks.filter { scaled > $0 }.count
        return pInit / Float(1 << halvings)
    }

    public func perturb(_ model: any Layer, inputs: Tensor, labels: [Int32], targets: [Int32]?) throws -> Tensor {
        guard inputs.rank == 4 else {
            throw RobustnessError.invalidArgument(name: "inputs", value: "shape \(inputs.shape)", expected: "images [N, C, H, W] for the square attack")
        }
        var oracle = try AttackOracle(model: model, inputs: inputs, labels: labels, targets: targets, settings: settings, attack: name)
        let x0 = inputs.scalars, f = oracle.features, s = settings, n = oracle.n
        let ch = inputs.shape[1], h = inputs.shape[2], w = inputs.shape[3]
        let margin = LogitObjective.margin(goal: oracle.goal, targeted: s.targeted)   // > 0 ⇔ success
        var overall = WorstCase(start: x0, features: f)
        AttackOracle.withAttackMode(model) {
            for restart in 0..<s.restarts {
                var g = SeededGenerator(seed: s.seed, stream: 1000 + UInt64(restart))
                var x = x0
                for r in 0..<n {
                    for c in 0..<ch {
                        for col in 0..<w {
                            let v: Float = g.nextFloat() < 0.5 ? -s.epsilon : s.epsilon
                            for row in 0..<h { x[r * f + (c * h + row) * w + col] += v }
                        }
                    }
                }
                Perturbation.project(&x, around: x0, settings: s, features: f)
                var out = oracle.logits(x)
                var loss = margin(out.values, out.classes).0
                for it in 1..<max(s.steps, 2) {
                    let active = (0..<n).filter { loss[$0] <= 0 }
                    if active.isEmpty { break }
                    let p = Self.fraction(pInit: pInit, iteration: it, total: s.steps)
                    let side = min(max(Int((p * Float(h * w)).squareRoot().rounded()), 1), h - 1)
                    var candidate = [Float](repeating: 0, count: active.count * f)
                    for (a, r) in active.enumerated() {
                        for k in 0..<f { candidate[a * f + k] = x[r * f + k] }
                        let top = g.int(in: 0...(h - side)), left = g.int(in: 0...(w - side))
                        for c in 0..<ch {
                            let v: Float = g.nextFloat() < 0.5 ? -s.epsilon : s.epsilon
                            for row in top..<(top + side) {
                                for col in left..<(left + side) {
                                    let k = (c * h + row) * w + col
                                    candidate[a * f + k] = min(max(x0[r * f + k] + v, s.lower), s.upper)
                                }
                            }
                        }
                    }
                    out = oracle.logits(candidate, rows: active.count)
                    let activeGoal = active.map { oracle.goal[$0] }
                    let newLoss = LogitObjective.margin(goal: activeGoal, targeted: s.targeted)(out.values, out.classes).0
                    for (a, r) in active.enumerated() where newLoss[a] > loss[r] {
                        loss[r] = newLoss[a]
                        for k in 0..<f { x[r * f + k] = candidate[a * f + k] }
                    }
                }
                overall.offer(x, success: loss.map { $0 > 0 }, objective: loss)
            }
        }
        return Tensor(shape: inputs.shape, scalars: overall.x)
    }
}
