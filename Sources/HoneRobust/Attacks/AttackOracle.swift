import Foundation
import HoneNN
import HoneRandom
import HoneTensor

/// The model as attacks see it: logits for a batch, and the gradient of a per-sample objective
/// of the logits with respect to the input. Runs the model in evaluation mode with trainable
/// parameters frozen, so back-propagation computes input gradients only.
struct AttackOracle {
    let model: any Layer
    let shape: [Int]          // batch shape [N, …]
    let labels: [Int32]
    /// The classes the objective pushes toward (targets) or away from (labels).
    let goal: [Int32]
    let targeted: Bool
    var n: Int { shape[0] }
    var features: Int { shape.dropFirst().reduce(1, *) }
    /// Number of forward passes so far (Square counts queries with it).
    private(set) var forwardCount = 0

    init(model: any Layer, inputs: Tensor, labels: [Int32], targets: [Int32]?, settings: AttackSettings,
         attack: String) throws {
        guard inputs.rank >= 2, inputs.shape[0] == labels.count else {
            throw RobustnessError.invalidArgument(name: "labels", value: "\(labels.count) labels for inputs \(inputs.shape)",
                                                  expected: "one label per input row")
        }
        if settings.targeted {
            guard let targets else { throw RobustnessError.missingTargets(attack: attack) }
            guard targets.count == labels.count else {
                throw RobustnessError.invalidArgument(name: "targets", value: "\(targets.count) targets for \(labels.count) inputs",
                                                      expected: "one target per input")
            }
        }
        self.model = model; shape = inputs.shape; self.labels = labels
        targeted = settings.targeted
        goal = settings.targeted ? targets! : labels
    }

    /// Logits [N·C] of a batch of the attack's shape (or `rows` rows of it), no tape.
    mutating func logits(_ x: [Float], rows: Int? = nil) -> (values: [Float], classes: Int) {
        forwardCount += 1
        let r = rows ?? n
        let out = withoutGradient { model(Tensor(shape: [r] + shape.dropFirst(), scalars: x)) }
        expectLogits(out, rows: r)
        return (out.scalars, out.shape[1])
    }

    /// Forward and backward: `objective(logits, classes)` returns the per-sample objective and
    /// its derivative with respect to the logits; the result holds the logits, the objective
    /// and ∂(Σ objective)/∂x (so each row is that sample's own gradient).
    mutating func gradient(_ x: [Float], rows: Int? = nil,
                           objective: (_ logits: [Float], _ classes: Int) -> (values: [Float], dLogits: [Float]))
        throws -> (logits: [Float], classes: Int, values: [Float], grad: [Float]) {
        forwardCount += 1
        let r = rows ?? n
        let input = Tensor(shape: [r] + shape.dropFirst(), scalars: x).requiringGrad()
        let out = model(input)
        expectLogits(out, rows: r)
        guard out.requiresGrad else { throw RobustnessError.noInputGradient(model: String(describing: type(of: model))) }
        let logits = out.scalars, c = out.shape[1]
        let (values, dLogits) = objective(logits, c)
        let g = gradients(of: out, wrt: [input], seed: Tensor(shape: out.shape, scalars: dLogits))[0]
        return (logits, c, values, g.scalars)
    }

    /// Gradients of several seeds through one forward pass (DeepFool's per-class gradients).
    mutating func jacobianRows(_ x: [Float], rows r: Int, seeds: (_ logits: [Float], _ classes: Int) -> [[Float]])
        throws -> (logits: [Float], classes: Int, grads: [[Float]]) {
        forwardCount += 1
        let input = Tensor(shape: [r] + shape.dropFirst(), scalars: x).requiringGrad()
        let out = model(input)
        expectLogits(out, rows: r)
        guard out.requiresGrad else { throw RobustnessError.noInputGradient(model: String(describing: type(of: model))) }
        let logits = out.scalars, c = out.shape[1]
        let s = seeds(logits, c)
        var grads: [[Float]] = []
        for (i, seed) in s.enumerated() {
            let g = gradients(of: out, wrt: [input], seed: Tensor(shape: out.shape, scalars: seed),
                              retainGraph: i < s.count - 1)[0]
            grads.append(g.scalars)
        }
        return (logits, c, grads)
    }

    private func expectLogits(_ out: Tensor, rows: Int) {
        if out.rank != 2 || out.shape[0] != rows {
            preconditionFailure("attack: the model must return logits [N, C]; got \(out.shape) for \(rows) inputs")
        }
    }

    /// Runs `body` with the model in evaluation mode and its trainable parameters frozen, then
    /// restores both (attacks need input gradients only).
    static func withAttackMode<R>(_ model: any Layer, _ body: () throws -> R) rethrows -> R {
        let wasTraining = model.isTraining
        let frozen = model.namedParameters.map(\.1).filter(\.isTrainable)
        model.setTraining(false)
        for p in frozen { p.isTrainable = false }
        defer {
            for p in frozen { p.isTrainable = true }
            model.setTraining(wasTraining)
        }
        return try body()
    }
}

/// Per-sample losses on logits rows (objectives are maximized by the attacks).
enum LogitObjective {
    /// Cross-entropy of the goal class: +CE(y) untargeted (ascend), −CE(t) targeted.
    static func crossEntropy(goal: [Int32], targeted: Bool) -> ([Float], Int) -> ([Float], [Float]) {
        { logits, c in
            let n = goal.count
            var values = [Float](repeating: 0, count: n), d = [Float](repeating: 0, count: n * c)
            let sign: Float = targeted ? -1 : 1
            for i in 0..<n {
                let row = i * c
                var m = -Float.infinity
                for j in 0..<c { m = max(m, logits[row + j]) }
                var z: Float = 0
                for j in 0..<c { z += expf(logits[row + j] - m) }
                let y = Int(goal[i])
                values[i] = sign * (m + logf(z) - logits[row + y])
                for j in 0..<c { d[row + j] = sign * expf(logits[row + j] - m) / z }
                d[row + y] -= sign
            }
            return (values, d)
        }
    }

    /// Margin of the goal class: untargeted max_{j≠y} Z_j − Z_y (> 0 when misclassified);
    /// targeted Z_t − max_{j≠t} Z_j (> 0 when classified as t). Carlini & Wagner (2017) f₆, negated.
    static func margin(goal: [Int32], targeted: Bool) -> ([Float], Int) -> ([Float], [Float]) {
        { logits, c in
            let n = goal.count
            var values = [Float](repeating: 0, count: n), d = [Float](repeating: 0, count: n * c)
            for i in 0..<n {
                let row = i * c, y = Int(goal[i])
                var best = -1
                for j in 0..<c where j != y && (best < 0 || logits[row + j] > logits[row + best]) { best = j }
                let s: Float = targeted ? -1 : 1
                values[i] = s * (logits[row + best] - logits[row + y])
                d[row + best] = s; d[row + y] = -s
            }
            return (values, d)
        }
    }
}

/// Helpers on flat batches: `n` rows of `f` features each.
enum Perturbation {
    /// argmax of each logits row.
    static func predictions(_ logits: [Float], classes c: Int) -> [Int32] {
        let n = logits.count / c
        return (0..<n).map { i in
            var best = 0
            for j in 1..<c where logits[i * c + j] > logits[i * c + best] { best = j }
            return Int32(best)
        }
    }

    /// Whether each row is adversarial: misclassified (untargeted) or at the target (targeted).
    static func success(_ logits: [Float], classes c: Int, goal: [Int32], targeted: Bool) -> [Bool] {
        let p = predictions(logits, classes: c)
        return zip(p, goal).map { targeted ? $0 == $1 : $0 != $1 }
    }

    /// Projects `x` onto the ε-ball of `norm` around `x0`, then clamps into the valid range.
    static func project(_ x: inout [Float], around x0: [Float], settings s: AttackSettings, features f: Int) {
        let eps = s.epsilon
        switch s.norm {
        case .linf:
            for i in x.indices {
                let lo = max(x0[i] - eps, s.lower), hi = min(x0[i] + eps, s.upper)
                x[i] = min(max(x[i], lo), hi)
            }
        case .l2:
            let n = x.count / f
            for r in 0..<n {
                var sq: Float = 0
                for k in r * f..<(r + 1) * f { let d = x[k] - x0[k]; sq += d * d }
                let norm = sq.squareRoot()
                let scale = norm > eps ? eps / norm : 1
                for k in r * f..<(r + 1) * f { x[k] = min(max(x0[k] + (x[k] - x0[k]) * scale, s.lower), s.upper) }
            }
        }
    }

    /// A step of length α along the steepest-ascent direction of `norm` for gradient `g`:
    /// α·sign(g) for L∞, α·g/‖g‖₂ per row for L2 (Madry et al. 2018).
    static func ascend(_ x: inout [Float], grad g: [Float], stepSizes alpha: (Int) -> Float, norm: AttackNorm, features f: Int) {
        let n = x.count / f
        switch norm {
        case .linf:
            for r in 0..<n {
                let a = alpha(r)
                for k in r * f..<(r + 1) * f { x[k] += a * (g[k] > 0 ? 1 : g[k] < 0 ? -1 : 0) }
            }
        case .l2:
            for r in 0..<n {
                var sq: Float = 0
                for k in r * f..<(r + 1) * f { sq += g[k] * g[k] }
                let a = alpha(r) / max(sq.squareRoot(), 1e-12)
                for k in r * f..<(r + 1) * f { x[k] += a * g[k] }
            }
        }
    }

    /// A uniform random start in the ε-ball: U(−ε, ε) per pixel for L∞; for L2 a direction
    /// uniform on the sphere scaled by ε·u^(1/d) (uniform in the ball).
    static func randomStart(_ x0: [Float], settings s: AttackSettings, features f: Int,
                            generator g: inout SeededGenerator) -> [Float] {
        var x = x0
        switch s.norm {
        case .linf:
            for i in x.indices { x[i] += s.epsilon * (2 * g.nextFloat() - 1) }
        case .l2:
            let n = x.count / f
            for r in 0..<n {
                var dir = (0..<f).map { _ in Float(g.normal()) }
                let norm = max(dir.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-12)
                let radius = s.epsilon * Float(pow(g.nextDouble(), 1 / Double(f)))
                for k in 0..<f { dir[k] *= radius / norm }
                for k in 0..<f { x[r * f + k] += dir[k] }
            }
        }
        project(&x, around: x0, settings: s, features: f)
        return x
    }
}

/// Keeps, per sample, the strongest adversarial input found over restarts: a successful one
/// beats an unsuccessful one; between equals the higher objective wins.
struct WorstCase {
    var x: [Float]
    var success: [Bool]
    var objective: [Float]
    let features: Int

    init(start x: [Float], features: Int) {
        self.x = x; self.features = features
        let n = x.count / features
        success = [Bool](repeating: false, count: n); objective = [Float](repeating: -.infinity, count: n)
    }

    mutating func offer(_ candidate: [Float], success s: [Bool], objective o: [Float]) {
        let f = features
        for r in 0..<success.count {
            let better = (s[r] && !success[r]) || (s[r] == success[r] && o[r] > objective[r])
            guard better else { continue }
            success[r] = s[r]; objective[r] = o[r]
            for k in r * f..<(r + 1) * f { x[k] = candidate[k] }
        }
    }
}
