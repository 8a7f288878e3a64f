import HoneData
import HoneNN
import HoneRobust
import HoneTensor
import HoneTrain
import Testing

private func dataset(_ model: any Layer, n: Int) -> InMemoryDataset {
    let (x, y) = Fixture.data(model, n: n)
    return InMemoryDataset(features: x.scalars, featureShape: Fixture.shape, labels: y, classCount: 3)
}

/// Records the inputs `fit` trains on.
private final class InputSpy: Callback {
    var seen: [Tensor] = []
    func batchWillBegin(_ batch: Int, inputs: Tensor, labels: [Int32], state: TrainingState) throws -> Tensor {
        seen.append(inputs); return inputs
    }
}

@Test func adversarialTrainingReplacesBatchesWithExamplesInsideTheBall() throws {
    let teacher = Fixture.linear(seed: 9)
    let data = dataset(teacher, n: 64)
    for method in [AdversarialMethod.fgsmRandomStart(stepSize: nil), .pgd(steps: 3, stepSize: nil), .fgsm] {
        let model = Fixture.linear(seed: 1)
        let at = try AdversarialTraining(method, epsilon: 0.1, warmupEpochs: 1, seed: 1)
        let spy = InputSpy()
        let history = try fit(model, optimizer: Optimizer(model, sgd(learningRate: 0.1)), data: data, epochs: 2, batchSize: 32,
                              callbacks: [at, spy], shuffle: false)
        #expect(history.count == 2)
        #expect(history[1]["adversarial_eps"] == Double(Float(0.1)))
        // Warm-up: ε = 0.05 for the first batch, 0.1 from the second epoch on.
        let clean = data.features
        for (b, x) in spy.seen.enumerated() {
            let eps: Float = b == 0 ? 0.05 : 0.1
            let start = (b % 2) * 32 * 16
            let d = zip(x.scalars, clean[start..<(start + 32 * 16)]).map { abs($0 - $1) }.max()!
            #expect(d <= eps + 1e-5 && d > 0, "\(method) batch \(b): max |δ| \(d)")
        }
    }
    #expect(throws: RobustnessError.self) { try AdversarialTraining(.pgd(steps: 0, stepSize: nil), epsilon: 0.1) }
    #expect(throws: RobustnessError.self) { try AdversarialTraining(.fgsm, epsilon: -1) }
}

@Test func tradesDoublesTheBatchAndItsLossIsCrossEntropyPlusKL() throws {
    let teacher = Fixture.linear(seed: 9)
    let data = dataset(teacher, n: 32)
    let model = Fixture.linear(seed: 1)
    let trades = try TRADES(epsilon: 0.1, beta: 6, steps: 3)
    let spy = InputSpy()
    _ = try fit(model, loss: trades.loss, optimizer: Optimizer(model, sgd(learningRate: 0.1)), data: data, epochs: 1,
                batchSize: 32, callbacks: [trades.callback, spy], shuffle: false)
    #expect(spy.seen.first?.shape == [64] + Fixture.shape)
    // β = 0 and identical halves: the loss is the clean cross-entropy.
    let logits = Tensor(shape: [2, 3], scalars: [1, 2, 3, 0, -1, 2])
    let doubled = Tensor.concat([logits, logits], axis: 0)
    let zero = try TRADES(epsilon: 0.1, beta: 6).loss(doubled, [2, 0]).scalar
    #expect(abs(zero - Loss.crossEntropy(logits: logits, labels: [2, 0]).scalar) < 1e-5)
    #expect(throws: RobustnessError.self) { try TRADES(epsilon: 0.1, beta: -1) }
}

@Test func pgdCheckRestoresTheBestWeightsOnCollapse() throws {
    let teacher = Fixture.linear(seed: 9)
    let data = dataset(teacher, n: 64)
    let (x, y) = Fixture.data(teacher, n: 64)
    let model = Fixture.linear(seed: 9)       // starts as the teacher: best PGD accuracy at epoch 1
    let check = try PGDCheckEarlyStopping(epsilon: 0.02, steps: 5, inputs: x, labels: y, tolerance: 0.05)
    // A huge learning rate wrecks the model after the first epoch.
    let history = try fit(model, optimizer: Optimizer(model, sgd(learningRate: 50)), data: data, epochs: 6, batchSize: 16,
                          callbacks: [try GaussianNoiseAugmentation(std: 0.5, seed: 1), check])
    #expect(history.allSatisfy { $0["pgd_check_accuracy"] != nil })
    if check.triggered {
        #expect(history.count < 6)
        let restored = RobustMetrics.accuracy(model, inputs: try PGD(epsilon: 0.02, steps: 5).perturb(model, inputs: x, labels: y), labels: y)
        #expect(restored >= check.best.accuracy - 0.2)
    }
}

@Test func gaussianNoiseIsSeededAndClamped() throws {
    let x = Tensor(shape: [2, 8], scalars: (0..<16).map { Float($0) / 15 })
    let a = try GaussianNoiseAugmentation(std: 0.3, seed: 4).corrupt(x).scalars
    let b = try GaussianNoiseAugmentation(std: 0.3, seed: 4).corrupt(x).scalars
    #expect(a == b)
    #expect(a.allSatisfy { $0 >= 0 && $0 <= 1 })
    #expect(a != x.scalars)
    #expect(throws: RobustnessError.self) { try GaussianNoiseAugmentation(std: -1) }
    #expect(try EpsilonWarmup(epsilon: 0.1, epochs: 2).epsilon(epoch: 1, batch: 50, batchesPerEpoch: 100) == 0.025)
}

@Test func attacksGoThroughTheDenoiserPipeline() throws {
    let classifier = Fixture.linear()
    let data = dataset(classifier, n: 64)
    let dae = DenoisingAutoencoder(imageShape: Fixture.shape, hidden: 32, code: 8, seed: 1)
    let losses = try dae.train(on: data, corruption: .gaussian(std: 0.1), epochs: 3, batchSize: 16)
    #expect(losses.count == 3 && losses[2] < losses[0])
    let defended = dae.defending(classifier)
    let (x, y) = Fixture.data(classifier, n: 16)
    // Gradients reach the input through the autoencoder: FGSM moves every image.
    let adv = try FGSM(epsilon: 0.1).perturb(defended, inputs: x, labels: y)
    #expect(zip(adv.scalars, x.scalars).contains { abs($0 - $1) > 0.05 })
    // Adversarial corruption for the denoiser trains too.
    let attack = try FGSM(epsilon: 0.1)
    let advLosses = try dae.train(on: data, corruption: .adversarial(attack: attack, classifier: classifier, std: 0.05), epochs: 1)
    #expect(advLosses.count == 1 && advLosses[0].isFinite)
}
