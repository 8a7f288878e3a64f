import Foundation
import HoneNN
import HoneRandom
import HoneTensor

extension RobustnessEvaluator {
    /// The gradient-masking checks (see the type's documentation). Appends the reference figures
    /// and the warnings that fired to `result`.
    func runSanityChecks(_ result: inout RobustnessResult, _ model: any Layer, _ inputs: Tensor, _ labels: [Int32]) throws {
        let m = min(sanitySamples, labels.count)
        let x = RobustMetrics.rows(inputs, 0, m), y = Array(labels[0..<m])
        let cleanSubset = fraction(RobustMetrics.correct(model, inputs: x, labels: y))
        var warnings: [SanityWarning] = []
        let tol = tolerance
        func pct(_ v: Double) -> String { String(format: "%.1f%%", 100 * v) }
        let epsilons = self.epsilons.sorted()
        let mainAttacks = Dictionary(grouping: result.entries, by: \.attack)
        // Robust accuracy must not grow with ε.
        for (name, list) in mainAttacks {
            let sorted = list.sorted { $0.eps < $1.eps }
            for (a, b) in zip(sorted, sorted.dropFirst()) where b.robustAccuracy > a.robustAccuracy + tol {
                warnings.append(.init(check: "eps_monotone", message: "\(name): robust accuracy rises from \(pct(a.robustAccuracy)) at eps=\(a.eps) to \(pct(b.robustAccuracy)) at eps=\(b.eps); a larger budget can only help a working attack"))
            }
        }
        // Unbounded PGD must reach ≈ 0%.
        let span = range.upperBound - range.lowerBound
        let unbounded = try PGD(epsilon: span, steps: 20, stepSize: span / 8, range: range, seed: 17)
        let (u, _) = try run(unbounded, model, x, y)
        result.sanityFigures.append(u)
        if u.robustAccuracy > unboundedMaxAccuracy {
            warnings.append(.init(check: "unbounded_eps", message: "PGD with an unbounded budget (eps=\(span), 20 steps) leaves \(pct(u.robustAccuracy)) accuracy on \(m) samples (expected ≈ 0%): the attack is not working, gradients are likely masked"))
        }
        for eps in epsilons where eps > 0 {
            // Reference FGSM (from the list if there).
            let fgsm = try result.entries.first { $0.attack == "fgsm" && abs($0.eps - decimal(eps)) < 1e-9 }
                ?? { let e = try run(try FGSM(epsilon: eps, range: range), model, x, y).0; result.sanityFigures.append(e); return e }()
            let fgsmClean = result.entries.contains { $0.attack == "fgsm" && abs($0.eps - decimal(eps)) < 1e-9 } ? result.cleanAccuracy : cleanSubset
            if fgsm.robustAccuracy > fgsmClean + tol {
                warnings.append(.init(check: "single_step_above_clean", message: "FGSM at eps=\(eps) gives \(pct(fgsm.robustAccuracy)), above clean accuracy \(pct(fgsmClean)): the loss surface is masked (typical of FGSM training without random start)"))
            }
            let iterative = result.entries.filter { abs($0.eps - decimal(eps)) < 1e-9 && $0.steps > 1 && $0.attack != "square" }
            for e in iterative where e.robustAccuracy > fgsm.robustAccuracy + tol {
                warnings.append(.init(check: "iterative_vs_fgsm", message: "\(e.attack) (\(e.steps) steps) at eps=\(eps) leaves \(pct(e.robustAccuracy)), more than single-step FGSM's \(pct(fgsm.robustAccuracy)): the gradient is only informative at the clean input"))
            }
            // Black-box Square must not beat the iterative white-box attacks.
            let square = try result.entries.first { $0.attack == "square" && abs($0.eps - decimal(eps)) < 1e-9 }
                ?? { let e = try run(try SquareAttack(epsilon: eps, queries: squareQueries, range: range, seed: 23), model, x, y).0
                     result.sanityFigures.append(e); return e }()
            let whiteBox = iterative.isEmpty ? [fgsm] : iterative
            if let best = whiteBox.min(by: { $0.robustAccuracy < $1.robustAccuracy }), square.robustAccuracy < best.robustAccuracy - tol {
                warnings.append(.init(check: "black_box_beats_white_box", message: "black-box Square (\(square.steps) queries) at eps=\(eps) leaves \(pct(square.robustAccuracy)), below white-box \(best.attack)'s \(pct(best.robustAccuracy)): gradients are misleading"))
            }
        }
        // Input gradients must not vanish, at the clean input or at random points of the ε-ball.
        let zero = try zeroGradientFraction(model, x, y, epsilon: epsilons.last ?? 0)
        result.zeroGradientFraction = zero
        if zero > zeroGradientMaxFraction {
            warnings.append(.init(check: "vanishing_gradient", message: "the input gradient of the loss is (near) zero for \(pct(zero)) of \(m) samples: gradient attacks cannot make progress, and robust accuracy is overstated"))
        }
        for w in warnings { log?(w.description) }
        result.warnings = warnings
    }

    /// Fraction of samples whose cross-entropy input gradient has max |g| ≤ 1e-12 at the clean
    /// input or at a uniform random point of the ε-ball (the points PGD visits).
    func zeroGradientFraction(_ model: any Layer, _ x: Tensor, _ y: [Int32], epsilon: Float) throws -> Double {
        let settings = try AttackSettings(epsilon: epsilon, range: range, seed: 29)
        var oracle = try AttackOracle(model: model, inputs: x, labels: y, targets: nil, settings: settings, attack: "gradient check")
        let f = oracle.features, n = oracle.n
        let x0 = x.scalars
        var g = SeededGenerator(seed: 29)
        let noisy = Perturbation.randomStart(x0, settings: settings, features: f, generator: &g)
        var zero = [Bool](repeating: false, count: n)
        try AttackOracle.withAttackMode(model) {
            for point in [x0, noisy] {
                var start = 0
                while start < n {
                    let end = min(start + batchSize, n)
                    let objective = LogitObjective.crossEntropy(goal: Array(y[start..<end]), targeted: false)
                    let grad = try oracle.gradient(Array(point[start * f..<end * f]), rows: end - start, objective: objective).grad
                    for r in 0..<(end - start) {
                        var mx: Float = 0
                        for k in r * f..<(r + 1) * f { mx = max(mx, abs(grad[k])) }
                        if mx <= 1e-12 { zero[start + r] = true }
                    }
                    start = end
                }
            }
        }
        return fraction(zero)
    }
}
