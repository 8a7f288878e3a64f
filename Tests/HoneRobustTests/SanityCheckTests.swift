import HoneNN
import HoneRobust
import HoneTensor
import Testing

private func evaluator(_ eps: [Float]) throws -> RobustnessEvaluator {
    var ev = RobustnessEvaluator(attacks: [try AttackCatalog.recipe("pgd", steps: 10, restarts: 1, seed: 3)], epsilons: eps)
    ev.squareQueries = 200
    return ev
}

@Test func sanityChecksStaySilentOnAnHonestModel() throws {
    let model = Fixture.linear()
    let (x, y) = Fixture.data(model, n: 96)
    let result = try evaluator([0.05, 0.1]).evaluate(model, inputs: x, labels: y)
    #expect(result.warnings.isEmpty, "\(result.warnings)")
    #expect(result.cleanAccuracy == 1)
    #expect(result.sanityFigures.contains { $0.eps == 1 && $0.robustAccuracy == 0 })
    #expect(result.worstCase.count == 2)
    #expect(result.entries.allSatisfy { $0.samples == 96 && $0.steps == 10 && $0.restarts == 1 })
}

@Test func sanityChecksFireOnShatteredGradients() throws {
    let classifier = Fixture.linear()
    let (x, y) = Fixture.data(classifier, n: 96)
    let masked = Sequential(GridGate(), classifier)
    let result = try evaluator([0.3]).evaluate(masked, inputs: x, labels: y)
    let fired = Set(result.warnings.map(\.check))
    #expect(fired.isSuperset(of: ["unbounded_eps", "iterative_vs_fgsm", "black_box_beats_white_box", "vanishing_gradient"]),
            "fired: \(fired)")
    #expect((result.zeroGradientFraction ?? 0) > 0.5)
}

@Test func sanityChecksFlagFGSMAboveCleanAccuracy() throws {
    let classifier = Fixture.linear()
    let (x, y) = Fixture.data(classifier, n: 96, flipped: 30)   // clean accuracy 69%
    let masked = Sequential(GradientReversal(), classifier)
    let result = try evaluator([0.3]).evaluate(masked, inputs: x, labels: y)
    let fired = Set(result.warnings.map(\.check))
    #expect(fired.contains("single_step_above_clean"), "fired: \(fired)")
    #expect(fired.contains("unbounded_eps"), "fired: \(fired)")
}

/// An attack that stops working above ε = 0.35 (a budget-handling bug, or a defence that only
/// resists large perturbations): FGSM below, the clean input above.
private struct WeakensWithBudget: Attack {
    let name = "weakening"
    let settings: AttackSettings
    init(_ eps: Float) throws { settings = try AttackSettings(epsilon: eps, steps: 2) }
    func perturb(_ model: any Layer, inputs: Tensor, labels: [Int32], targets: [Int32]?) throws -> Tensor {
        settings.epsilon > 0.35 ? inputs : try FGSM(epsilon: settings.epsilon).perturb(model, inputs: inputs, labels: labels)
    }
}

@Test func sanityChecksFlagRobustAccuracyRisingWithEps() throws {
    let model = Fixture.linear()
    let (x, y) = Fixture.data(model, n: 64)
    var ev = RobustnessEvaluator(attacks: [AttackRecipe("weakening") { try WeakensWithBudget($0) }], epsilons: [0.3, 0.5])
    ev.squareQueries = 100
    let result = try ev.evaluate(model, inputs: x, labels: y)
    let fired = Set(result.warnings.map(\.check))
    #expect(fired.contains("eps_monotone"), "fired: \(fired)")
    #expect(fired.contains("iterative_vs_fgsm"), "fired: \(fired)")   // 2 "steps" yet weaker than FGSM at ε = 0.5
}
