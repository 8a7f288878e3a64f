import Foundation
import HoneConfig
import HoneNN
import HoneTensor
import HoneTrain
import HoneTune

/// The retrained best configuration and its single evaluation on the test set.
public struct FinalModel: Sendable {
    public var testAccuracy: Double
    public var testLoss: Double
    public var confusion: ConfusionMatrix
    public var history: [EpochLog]
    public var parameterCount: Int
    /// Fraction of units that never activate on the test set, per ReLU layer.
    public var deadReLU: [(layer: String, fraction: Double)]
}

extension FinalModel {
    /// Evaluates `model` once on the test set: accuracy, loss, confusion matrix, dead ReLU units.
    public static func measure(_ model: any Layer, data: LoadedData, history: [EpochLog]) -> FinalModel {
        let eval = evaluate(model, data: data.test, batchSize: 256)
        let scores = predict(model, data: data.test, batchSize: 256)
        let predictions = ScoreMetrics.argmax(scores: scores.scalars, classes: data.classCount)
        let confusion = ConfusionMatrix(labels: data.test.labels, predictions: predictions, classCount: data.classCount)
        return FinalModel(testAccuracy: eval.accuracy ?? .nan, testLoss: eval.loss, confusion: confusion,
                          history: history, parameterCount: model.parameterCount,
                          deadReLU: Retrain.deadUnits(model, data: data))
    }
}

/// Retrains the best trial's configuration on the whole training set and evaluates it once on
/// the test set; saves the weights (safetensors) and the architecture (JSON), atomically.
public enum Retrain {
    /// Retrains a finished trial's configuration for as many epochs as that trial ran.
    public static func run(config: HoneConfig, data: LoadedData, best: FrozenTrial, dir: RunDirectory,
                           interrupt: InterruptFlag, quiet: Bool,
                           log: @escaping @Sendable (String) -> Void) throws -> FinalModel {
        try run(config: config, data: data, source: FixedParameters(best.externalParams), maxEpochs: best.lastStep,
                label: "study_trial=\(best.number)", dir: dir, interrupt: interrupt, quiet: quiet, log: log)
    }

    /// Trains the configuration `source` resolves on the whole training set (at most `maxEpochs`
    /// epochs), evaluates it on the test set and saves it.
    public static func run(config: HoneConfig, data: LoadedData, source: any ParameterSource, maxEpochs: Int?,
                           label: String, dir: RunDirectory, interrupt: InterruptFlag, quiet: Bool,
                           extraCallbacks: [any Callback] = [], loss: LossFunction? = nil,
                           log: @escaping @Sendable (String) -> Void) throws -> FinalModel {
        try dir.create()
        let arch = try ModelBuilder(config: config).architecture(inputShape: data.inputShape, classes: data.classCount, source: source)
        let plan = try TrainingPlan(config, source: source)
        let model = try arch.build(seed: plan.seed)
        var callbacks: [any Callback] = [NonFiniteLossGuard(), InterruptCheck(interrupt),
                                         try TrialRecorder(trialNumber: -1, metricsPath: dir.metrics,
                                                           tensorBoardDirectory: dir.finalTensorBoard)]
        if plan.schedule != "none" || plan.warmupEpochs > 0 {
            callbacks.append(LearningRateScheduler(plan.epochSchedule, baseLearningRate: plan.learningRate))
        }
        // Batch-replacing callbacks (adversarial training, input noise) from the caller.
        callbacks += extraCallbacks
        if !quiet { callbacks.append(ProgressLogger()) }
        // The best trial's stopping epoch (early stopping or pruning) bounds the retrain.
        let epochs = max(1, min(plan.epochs, maxEpochs ?? plan.epochs))
        let history = try fit(model, loss: loss ?? plan.loss, optimizer: plan.makeOptimizer(for: model), data: data.train,
                              epochs: epochs, batchSize: plan.batchSize, validation: .none, callbacks: callbacks,
                              seed: plan.seed, augmentation: plan.augmentation(imageShape: data.inputShape))
        try ModelFile.save(model, to: dir.bestModel, metadata: ["trained": label])
        try ModelFile.writeArchitecture(arch, to: dir.bestArchitecture)
        let final = FinalModel.measure(model, data: data, history: history)
        log(String(format: "test accuracy %.4f (loss %.4f) on %d examples; model saved to %@", final.testAccuracy,
                   final.testLoss, data.test.count, dir.bestModel.path))
        return final
    }

    /// Runs up to 1,000 test images through the model layer by layer and measures, after every
    /// ReLU, the fraction of units (features, or channels of feature maps) that are never positive.
    static func deadUnits(_ model: any Layer, data: LoadedData) -> [(layer: String, fraction: Double)] {
        let n = min(1000, data.test.count)
        let subset = data.test.selecting(Array(0..<n))
        var x = Tensor(shape: [n] + data.inputShape, scalars: subset.features)
        var out: [(String, Double)] = []
        model.setTraining(false)
        withoutGradient {
            for (name, child) in model.children {
                guard let layer = child as? any Layer else { return }
                x = layer(x)
                guard child is ReLU, x.rank >= 2 else { continue }
                let units = x.shape[1], perUnit = x.count / (x.shape[0] * units)
                var alive = [Bool](repeating: false, count: units)
                x.contiguous().withUnsafeBufferPointer { p in
                    for i in 0..<x.shape[0] {
                        for u in 0..<units where !alive[u] {
                            let base = (i * units + u) * perUnit
                            for k in 0..<perUnit where p[base + k] > 0 { alive[u] = true; break }
                        }
                    }
                }
                out.append((name, Double(alive.filter { !$0 }.count) / Double(units)))
            }
        }
        return out
    }
}

/// Stops a training run when the user presses Ctrl-C.
final class InterruptCheck: Callback {
    let flag: InterruptFlag
    init(_ flag: InterruptFlag) { self.flag = flag }
    func batchDidEnd(_ batch: Int, loss: Double, state: TrainingState) throws {
        if flag.isSet { throw RunInterrupted() }
    }
}
