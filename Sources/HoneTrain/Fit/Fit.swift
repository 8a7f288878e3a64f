import Foundation
import HoneData
import HoneNN
import HoneTensor

/// A training loss: the model's output and the batch labels → a scalar tensor.
public typealias LossFunction = @Sendable (_ output: Tensor, _ labels: [Int32]) -> Tensor

/// Mean cross-entropy from logits, the default loss of `fit` and `evaluate`.
public let crossEntropyLoss: LossFunction = { Loss.crossEntropy(logits: $0, labels: $1) }

/// Where `fit` measures validation figures.
public enum Validation {
    /// No validation.
    case none
    /// Hold out a seeded, class-stratified `fraction` of the training data (`Splits.holdout`).
    case split(fraction: Double)
    /// A separate dataset.
    case data(any Dataset)
}

/// Trains `model` for `epochs` passes over `data` in shuffled batches (seeded by `seed`,
/// a fresh order every epoch) and returns one ``EpochLog`` per finished epoch.
///
/// Each batch: forward, loss, `backward()`, then the optimizer step once the graph is gone (so
/// weights are updated in place, never copied). After each epoch, the validation data (if
/// any) is evaluated in evaluation mode. The same seed and thread count give a bit-identical
/// loss curve.
///
/// ```swift
/// let model = Sequential(Flatten(), Dense(inputSize: 784, outputSize: 128, seed: 1), ReLU(),
///                        Dense(inputSize: 128, outputSize: 10, seed: 2))
/// let history = try fit(model, optimizer: Optimizer(model, adam(learningRate: 1e-3)),
///                       data: train, epochs: 10, batchSize: 128,
///                       validation: .split(fraction: 0.1),
///                       callbacks: [EarlyStopping(patience: 2, restoreBest: true), ProgressLogger()])
/// ```
@discardableResult
public func fit<D: Dataset>(_ model: any Layer, loss: @escaping LossFunction = crossEntropyLoss, optimizer: Optimizer,
                            data: D, epochs: Int, batchSize: Int, validation: Validation = .none,
                            callbacks: [any Callback] = [], seed: UInt64 = 0, shuffle: Bool = true,
                            prefetch: Int = 1, augmentation: AugmentationPipeline? = nil) throws -> [EpochLog] {
    guard epochs >= 1 else { throw TrainingError.invalidArgument(name: "epochs", reason: "must be ≥ 1, got \(epochs)") }
    guard batchSize >= 1 else { throw TrainingError.invalidArgument(name: "batchSize", reason: "must be ≥ 1, got \(batchSize)") }
    guard prefetch >= 0 else { throw TrainingError.invalidArgument(name: "prefetch", reason: "must be ≥ 0, got \(prefetch)") }
    switch validation {
    case .none:
        return try Trainer(model: model, loss: loss, optimizer: optimizer, callbacks: callbacks, augmentation: augmentation)
            .run(train: data, validation: nil as D?, epochs: epochs, batchSize: batchSize, seed: seed,
                 shuffle: shuffle, prefetch: prefetch)
    case let .split(fraction):
        guard fraction > 0 && fraction < 1 else {
            throw TrainingError.invalidArgument(name: "validation split", reason: "fraction must be in (0, 1), got \(fraction)")
        }
        let split: SplitIndices
        do { split = try Splits.holdout(labels: data.labels, validationFraction: fraction, stratified: true, seed: seed) } catch {
            throw TrainingError.invalidArgument(name: "validation split", reason: "\(error)")
        }
        return try Trainer(model: model, loss: loss, optimizer: optimizer, callbacks: callbacks, augmentation: augmentation)
            .run(train: data.subset(split.train), validation: data.subset(split.validation), epochs: epochs,
                 batchSize: batchSize, seed: seed, shuffle: shuffle, prefetch: prefetch)
    case let .data(v):
        return try fitOpened(model, loss, optimizer, data, v, epochs, batchSize, callbacks, seed, shuffle, prefetch, augmentation)
    }
}

/// Opens the validation existential so the trainer is generic over both datasets.
private func fitOpened<D: Dataset, V: Dataset>(_ model: any Layer, _ loss: @escaping LossFunction, _ optimizer: Optimizer,
                                               _ data: D, _ validation: V, _ epochs: Int, _ batchSize: Int,
                                               _ callbacks: [any Callback], _ seed: UInt64, _ shuffle: Bool,
                                               _ prefetch: Int, _ augmentation: AugmentationPipeline?) throws -> [EpochLog] {
    try Trainer(model: model, loss: loss, optimizer: optimizer, callbacks: callbacks, augmentation: augmentation)
        .run(train: data, validation: validation, epochs: epochs, batchSize: batchSize, seed: seed,
             shuffle: shuffle, prefetch: prefetch)
}

/// The training loop behind `fit`.
struct Trainer {
    let model: any Layer
    let loss: LossFunction
    let optimizer: Optimizer
    let callbacks: [any Callback]
    /// Random transforms applied to training batches only (never to validation).
    var augmentation: AugmentationPipeline? = nil

    func run<D: Dataset, V: Dataset>(train: D, validation: V?, epochs: Int, batchSize: Int, seed: UInt64,
                                     shuffle: Bool, prefetch: Int) throws -> [EpochLog] {
        let loader = DataLoader(dataset: train, batchSize: batchSize, shuffle: shuffle, seed: seed, prefetch: prefetch,
                                augmentation: augmentation)
        let state = TrainingState(model: model, optimizer: optimizer, epochs: epochs,
                                  batchesPerEpoch: loader.batchesPerEpoch, samplesPerEpoch: train.count)
        let wasTraining = model.isTraining
        defer { model.setTraining(wasTraining) }
        for c in callbacks { try c.trainingWillBegin(state: state) }
        for epoch in 1...epochs {
            state.epoch = epoch
            model.setTraining(true)
            for c in callbacks { try c.epochWillBegin(epoch, state: state) }
            let clock = ContinuousClock(), start = clock.now
            var lossSum = 0.0, correct = 0, seen = 0, scored = 0
            for (b, batch) in loader.batches(epoch: epoch - 1).enumerated() {
                var inputs = Tensor(shape: batch.shape, scalars: batch.features)
                for c in callbacks { inputs = try c.batchWillBegin(b + 1, inputs: inputs, labels: batch.labels, state: state) }
                let step = trainStep(inputs, batch.labels)
                lossSum += step.loss * Double(batch.count)
                seen += batch.count
                if let c = step.correct { correct += c; scored += batch.count }
                for c in callbacks { try c.batchDidEnd(b + 1, loss: step.loss, state: state) }
                optimizer.step()
                for c in callbacks { try c.optimizerDidStep(b + 1, state: state) }
            }
            let seconds = (clock.now - start).seconds
            var log = EpochLog(epoch: epoch)
            log["loss"] = lossSum / Double(max(seen, 1))
            if scored > 0 { log["accuracy"] = Double(correct) / Double(scored) }
            log["samples_per_s"] = Double(seen) / max(seconds, 1e-9)
            log["seconds"] = seconds
            log["learning_rate_scale"] = optimizer.learningRateScale
            if let validation {
                let r = evaluate(model, data: validation, loss: loss, batchSize: batchSize, prefetch: prefetch)
                log["val_loss"] = r.loss
                if let a = r.accuracy { log["val_accuracy"] = a }
                model.setTraining(true)
            }
            for c in callbacks { try c.epochDidEnd(&log, state: state) }
            state.history.append(log)
            if state.stopRequested { break }
        }
        for c in callbacks { try c.trainingDidEnd(state: state) }
        return state.history
    }

    /// Forward, loss and backward for one batch. Every tensor of the graph dies on return, so
    /// the optimizer step that follows owns the weight buffers and updates them in place.
    private func trainStep(_ x: Tensor, _ labels: [Int32]) -> (loss: Double, correct: Int?) {
        let output = model(x)
        let l = loss(output, labels)
        l.backward()
        return (Double(l.scalar), countCorrect(output, labels))
    }
}

/// Number of rows of `output` [N, C] whose largest entry is at the label; nil when the output
/// is not a [N, C] score matrix.
func countCorrect(_ output: Tensor, _ labels: [Int32]) -> Int? {
    guard output.rank == 2, output.shape[0] == labels.count, output.shape[1] > 1 else { return nil }
    let cols = output.shape[1]
    return output.withUnsafeBufferPointer { p in
        var correct = 0
        for (r, label) in labels.enumerated() {
            let row = p.baseAddress! + r * cols
            var best = 0
            for j in 1..<cols where row[j] > row[best] { best = j }
            if best == Int(label) { correct += 1 }
        }
        return correct
    }
}

extension Duration {
    /// The duration in seconds as a Double.
    var seconds: Double {
        let c = components
        return Double(c.seconds) + Double(c.attoseconds) * 1e-18
    }
}
