import Foundation
import HoneNN
import HoneRobust
import HoneTensor
import Testing

/// Every attack, untargeted, at ε = 0.1 on the fixture (Square needs images; all inputs are).
private func allAttacks(eps: Float, targeted: Bool = false) throws -> [any Attack] {
    [try FGSM(epsilon: eps, targeted: targeted),
     try BIM.make(epsilon: eps, steps: 5, targeted: targeted),
     try PGD(epsilon: eps, steps: 5, restarts: 2, targeted: targeted),
     try PGD(epsilon: eps * 4, steps: 5, norm: .l2, targeted: targeted),
     try MIFGSM(epsilon: eps, steps: 5, targeted: targeted),
     try DeepFool(epsilon: eps, norm: .linf, steps: 50, targeted: targeted),
     try DeepFool(epsilon: eps * 4, norm: .l2, steps: 50, targeted: targeted),
     try CarliniWagner(epsilon: eps * 4, steps: 50, searchSteps: 2, learningRate: 0.05, targeted: targeted),
     try APGD(epsilon: eps, steps: 10, targeted: targeted),
     try SquareAttack(epsilon: eps, queries: 30, targeted: targeted)]
}

@Test func everyAttackStaysInsideTheBallAndTheValidRange() throws {
    let model = Fixture.linear()
    let (x, y) = Fixture.data(model, n: 16)
    let x0 = x.scalars, f = Fixture.features
    for attack in try allAttacks(eps: 0.1) {
        let adv = try attack.perturb(model, inputs: x, labels: y)
        #expect(adv.shape == x.shape, "\(attack.name)")
        let v = adv.scalars, eps = attack.settings.epsilon
        #expect(v.allSatisfy { $0 >= 0 && $0 <= 1 }, "\(attack.name) left [0, 1]")
        for r in 0..<16 {
            let d = (0..<f).map { v[r * f + $0] - x0[r * f + $0] }
            switch attack.settings.norm {
            case .linf: #expect(d.map(abs).max()! <= eps + 1e-5, "\(attack.summary): ‖δ‖∞ > ε")
            case .l2: #expect(d.reduce(0) { $0 + $1 * $1 }.squareRoot() <= eps + 1e-4, "\(attack.summary): ‖δ‖₂ > ε")
            }
        }
    }
}

@Test func fgsmEqualsAnIndependentSignGradientStep() throws {
    let model = Fixture.linear()
    let (x, y) = Fixture.data(model, n: 8)
    let g = Fixture.linearInputGradient(model, x, y)
    let expected = zip(x.scalars, g).map { min(max($0 + 0.05 * ($1 > 0 ? 1 : $1 < 0 ? -1 : 0), 0), 1) }
    let adv = try FGSM(epsilon: 0.05).perturb(model, inputs: x, labels: y).scalars
    for (a, e) in zip(adv, expected) { #expect(abs(a - e) < 1e-6) }
    // Targeted FGSM descends the target's loss: the opposite sign.
    let t = y.map { ($0 + 1) % 3 }
    let gt = Fixture.linearInputGradient(model, x, t)
    let expectedT = zip(x.scalars, gt).map { min(max($0 - 0.05 * ($1 > 0 ? 1 : $1 < 0 ? -1 : 0), 0), 1) }
    let advT = try FGSM(epsilon: 0.05, targeted: true).perturb(model, inputs: x, labels: y, targets: t).scalars
    for (a, e) in zip(advT, expectedT) { #expect(abs(a - e) < 1e-6) }
}

@Test func pgdOnABinaryLinearModelReachesTheClosedFormCorner() throws {
    // For two classes CE's input gradient is (p₁ − 1[y=1])·(w₁ − w₀): its sign is constant, so the
    // L∞ maximizer in a box with room is x + ε·sign(w_other − w_y) exactly.
    let model = Fixture.linear(classes: 2, seed: 5)
    let (x, y) = Fixture.data(model, n: 12, classes: 2)
    let w = ((model.layers[1].layer as! Dense).weight.value).scalars, f = Fixture.features
    let x0 = x.scalars.map { $0 * 0.5 + 0.25 }            // keep the ε-ball inside [0, 1]
    let xin = Tensor(shape: x.shape, scalars: x0)
    let adv = try PGD(epsilon: 0.2, steps: 20, restarts: 1).perturb(model, inputs: xin, labels: y).scalars
    for r in 0..<12 {
        let other = 1 - Int(y[r]), label = Int(y[r])
        for i in 0..<f {
            let dir = w[other * f + i] - w[label * f + i]
            let expected = x0[r * f + i] + 0.2 * (dir > 0 ? 1 : -1)
            #expect(abs(adv[r * f + i] - expected) < 1e-5)
        }
    }
}

@Test func targetedAttacksMoveTowardTheTarget() throws {
    let model = Fixture.linear()
    let (x, y) = Fixture.data(model, n: 24)
    let t = y.map { ($0 + 1) % 3 }
    let cleanHits = RobustMetrics.accuracy(model, inputs: x, labels: t)
    for attack in try allAttacks(eps: 0.5, targeted: true) where attack.name != "square" {
        let adv = try attack.perturb(model, inputs: x, labels: y, targets: t)
        let hits = RobustMetrics.accuracy(model, inputs: adv, labels: t)
        if hits <= cleanHits + 0.3 { Issue.record("\(attack.summary): \(hits) of inputs at the target (clean \(cleanHits))") }
    }
    let square = try SquareAttack(epsilon: 0.5, queries: 200, targeted: true)
    let adv = try square.perturb(model, inputs: x, labels: y, targets: t)
    #expect(RobustMetrics.accuracy(model, inputs: adv, labels: t) > cleanHits)
}

@Test func restartsKeepThePerSampleWorstCase() throws {
    let model = Fixture.linear()
    let (x, y) = Fixture.data(model, n: 32)
    let one = try PGD(epsilon: 0.03, steps: 2, restarts: 1, seed: 4).perturb(model, inputs: x, labels: y)
    let five = try PGD(epsilon: 0.03, steps: 2, restarts: 5, seed: 4).perturb(model, inputs: x, labels: y)
    // Restart 0 is the same run in both: five restarts can only find more adversarial inputs.
    let c1 = RobustMetrics.correct(model, inputs: one, labels: y), c5 = RobustMetrics.correct(model, inputs: five, labels: y)
    for (a, b) in zip(c1, c5) where !a { #expect(!b) }
    // Same seed, same result.
    let again = try PGD(epsilon: 0.03, steps: 2, restarts: 5, seed: 4).perturb(model, inputs: x, labels: y)
    #expect(again.scalars == five.scalars)
}

@Test func apgdCheckpointsFollowCroceAndHein() {
    #expect(APGD.checkpoints(steps: 100) == [22, 41, 57, 70, 80, 87, 93, 99])
    #expect(SquareAttack.fraction(pInit: 0.8, iteration: 0, total: 1000) == 0.8)
    #expect(SquareAttack.fraction(pInit: 0.8, iteration: 2, total: 1000) == 0.4)    // 20 of 10,000 > 10
}

@Test func badInputIsAThrownRobustnessError() throws {
    #expect(throws: RobustnessError.self) { try PGD(epsilon: -0.1) }
    #expect(throws: RobustnessError.self) { try PGD(epsilon: 0.1, steps: 0) }
    #expect(throws: RobustnessError.self) { try APGD(epsilon: 0.1, steps: 10, restarts: 0) }
    #expect(throws: RobustnessError.self) { try AttackCatalog.recipe("pgdd") }
    let model = Fixture.linear()
    let (x, y) = Fixture.data(model, n: 4)
    do {
        _ = try PGD(epsilon: 0.1, targeted: true).perturb(model, inputs: x, labels: y)
        Issue.record("a targeted attack without targets must throw")
    } catch let e as RobustnessError {
        #expect(e == .missingTargets(attack: "pgd"))
    }
    do {
        _ = try FGSM(epsilon: 0.1).perturb(NoGradient(model), inputs: x, labels: y)
        Issue.record("an attack on a model without input gradients must throw")
    } catch let e as RobustnessError {
        guard case .noInputGradient = e else { Issue.record("wrong error \(e)"); return }
        #expect(e.description.contains("no gradient with respect to its input"))
    }
    // The model's own state is restored after an attack.
    #expect(model.trainableParameters.count == 2)
}
