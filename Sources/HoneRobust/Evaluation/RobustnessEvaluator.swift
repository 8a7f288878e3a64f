import Foundation
import HoneNN
import HoneRandom
import HoneTensor

/// An attack for any budget ε (the evaluator sweeps ε).
public struct AttackRecipe: Sendable {
    public let name: String
    public let make: @Sendable (Float) throws -> any Attack
    public init(_ name: String, _ make: @escaping @Sendable (Float) throws -> any Attack) { self.name = name; self.make = make }
}

/// Honest robustness evaluation: robust accuracy per attack and per ε (a curve), the per-sample
/// worst case over attacks, and automatic sanity checks for gradient masking (Athalye, Carlini &
/// Wagner 2018; Carlini et al., "On Evaluating Adversarial Robustness", 2019 §5):
///
/// - `unbounded_eps` / `eps_monotone`: accuracy must fall as ε grows, and PGD with an unbounded
///   budget (ε = the whole input range) must reach ≈ 0%.
/// - `iterative_vs_fgsm`: an iterative attack must not do worse than one FGSM step.
/// - `black_box_beats_white_box`: the black-box Square attack must not beat the iterative
///   white-box attacks.
/// - `vanishing_gradient`: input gradients must not be (near) zero.
/// - `single_step_above_clean`: FGSM must not raise accuracy above clean accuracy.
///
/// The reference attacks the checks need (FGSM, unbounded PGD, Square) run on the first
/// `sanitySamples` inputs when they are not in the attack list.
///
/// ```swift
/// var ev = RobustnessEvaluator(attacks: [.pgd(steps: 50, restarts: 5), .apgd(steps: 100)], epsilons: [0.05, 0.1])
/// let result = try ev.evaluate(model, inputs: x, labels: y)
/// for w in result.warnings { print(w) }
/// ```
public struct RobustnessEvaluator: Sendable {
    public var attacks: [AttackRecipe]
    public var epsilons: [Float]
    public var batchSize = 500
    public var sanityChecks = true
    public var sanitySamples = 500
    /// Accuracy differences below this are noise (fraction, default 2 points).
    public var tolerance = 0.02
    /// Unbounded PGD must bring accuracy to at most this.
    public var unboundedMaxAccuracy = 0.02
    /// Fraction of zero-gradient samples above which `vanishing_gradient` fires.
    public var zeroGradientMaxFraction = 0.05
    public var squareQueries = 300
    public var range: ClosedRange<Float> = 0...1
    public var log: (@Sendable (String) -> Void)?

    public init(attacks: [AttackRecipe], epsilons: [Float]) {
        self.attacks = attacks; self.epsilons = epsilons
    }

    public func evaluate(_ model: any Layer, inputs: Tensor, labels: [Int32]) throws -> RobustnessResult {
        guard !attacks.isEmpty else { throw RobustnessError.invalidArgument(name: "attacks", value: "[]", expected: "at least one attack") }
        guard !epsilons.isEmpty else { throw RobustnessError.invalidArgument(name: "eps", value: "[]", expected: "at least one eps") }
        for e in epsilons where !(e >= 0) || !e.isFinite {
            throw RobustnessError.invalidArgument(name: "eps", value: "\(e)", expected: "a finite eps ≥ 0")
        }
        guard inputs.shape[0] == labels.count, !labels.isEmpty else {
            throw RobustnessError.invalidArgument(name: "labels", value: "\(labels.count) for inputs \(inputs.shape)", expected: "one label per input")
        }
        let n = labels.count
        let clean = RobustMetrics.correct(model, inputs: inputs, labels: labels)
        let cleanAccuracy = fraction(clean)
        var entries: [RobustEntry] = []
        var perSample: [Float: [Bool]] = [:]
        for eps in epsilons.sorted() {
            var worst = clean
            for recipe in attacks {
                let attack = try recipe.make(eps)
                let (entry, correct) = try run(attack, model, inputs, labels)
                entries.append(entry)
                for i in 0..<n where !correct[i] { worst[i] = false }
            }
            perSample[eps] = worst
        }
        let worstCase = epsilons.sorted().map {
            RobustnessResult.WorstCaseEntry(eps: decimal($0), robustAccuracy: fraction(perSample[$0]!), attacks: attacks.map(\.name))
        }
        var result = RobustnessResult(samples: n, cleanAccuracy: cleanAccuracy, entries: entries, worstCase: worstCase,
                                      sanityFigures: [], zeroGradientFraction: nil, warnings: [])
        if sanityChecks { try runSanityChecks(&result, model, inputs, labels) }
        return result
    }

    /// Runs one attack over the set; returns its entry and per-sample correctness.
    func run(_ attack: any Attack, _ model: any Layer, _ inputs: Tensor, _ labels: [Int32]) throws -> (RobustEntry, [Bool]) {
        let clock = ContinuousClock(), start = clock.now
        let adversarial = try attack.perturbAll(model, inputs: inputs, labels: labels, batchSize: batchSize)
        let correct = RobustMetrics.correct(model, inputs: adversarial, labels: labels)
        let d = (clock.now - start).components
        let s = attack.settings
        let entry = RobustEntry(attack: attack.name, norm: s.norm.rawValue, eps: decimal(s.epsilon), steps: s.steps,
                                stepSize: decimal(s.stepSize), restarts: s.restarts, samples: labels.count,
                                robustAccuracy: fraction(correct), seconds: Double(d.seconds) + Double(d.attoseconds) * 1e-18)
        log?("\(attack.summary) samples=\(labels.count): robust accuracy \(String(format: "%.4f", entry.robustAccuracy)) (\(String(format: "%.1f", entry.seconds)) s)")
        return (entry, correct)
    }

    /// A Float setting as the Double its decimal spelling means (0.1, not 0.10000000149).
    func decimal(_ v: Float) -> Double { Double("\(v)") ?? Double(v) }

    func fraction(_ c: [Bool]) -> Double { c.isEmpty ? 0 : Double(c.filter { $0 }.count) / Double(c.count) }
}
