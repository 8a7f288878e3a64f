import HoneConfig
import HoneData
import HoneNN
import HoneTrain
import HoneTune

/// The concrete training settings of one trial: every searched value of the `training:`
/// section resolved through the trial (or fixed for a retrain).
public struct TrainingPlan: Sendable, Equatable {
    public var optimizer: String
    public var learningRate: Double
    public var batchSize: Int
    public var epochs: Int
    public var weightDecay: Double
    public var momentum: Double
    public var schedule: String
    public var warmupEpochs: Int
    public var labelSmoothing: Double
    public var earlyStoppingPatience: Int?
    public var flip: Bool
    public var crop: Int
    public var noise: Double
    public var rotate: Double
    public var seed: UInt64

    /// Resolves `config.training` with `source` (a trial, or a fixed assignment).
    public init(_ config: HoneConfig, source: any ParameterSource) throws {
        let t = config.training
        optimizer = try t.optimizer.resolve("training.optimizer", from: source)
        learningRate = try t.learningRate.resolve("training.learning_rate", from: source)
        batchSize = try t.batchSize.resolve("training.batch_size", from: source)
        epochs = t.epochs
        weightDecay = try t.weightDecay.resolve("training.weight_decay", from: source)
        momentum = optimizer == "sgd" || optimizer == "rmsprop" ? try t.momentum.resolve("training.momentum", from: source) : 0
        schedule = try t.schedule.resolve("training.schedule", from: source)
        warmupEpochs = t.warmupEpochs
        labelSmoothing = try t.labelSmoothing.resolve("training.label_smoothing", from: source)
        earlyStoppingPatience = t.earlyStoppingPatience
        flip = try t.augmentation.flip.resolve("training.augmentation.flip", from: source)
        crop = try t.augmentation.crop.resolve("training.augmentation.crop", from: source)
        noise = try t.augmentation.noise.resolve("training.augmentation.noise", from: source)
        rotate = try t.augmentation.rotate.resolve("training.augmentation.rotate", from: source)
        seed = UInt64(t.seed)
    }

    /// The learning-rate schedule over epochs (stepped once per epoch by the scheduler callback).
    public var epochSchedule: LearningRateSchedule {
        let main: LearningRateSchedule
        let remaining = max(epochs - warmupEpochs, 1)
        switch schedule {
        case "cosine": main = .cosine(periodSteps: remaining, minimum: 0)
        case "step": main = .step(stepSize: max(remaining / 3, 1), gamma: 0.1)
        case "exponential": main = .exponential(gamma: 0.9)
        case "onecycle": main = .oneCycle(maximum: learningRate, totalSteps: remaining)
        default: main = .constant
        }
        return warmupEpochs > 0 ? .warmup(steps: warmupEpochs, startFactor: 0.1, then: main) : main
    }

    /// A fresh optimizer for `model`.
    public func makeOptimizer(for model: any Module) -> Optimizer {
        let wd = Float(weightDecay)
        let chain: Chain
        switch optimizer {
        case "sgd": chain = sgd(learningRate: .constant(learningRate), momentum: Float(momentum), nesterov: momentum > 0, weightDecay: wd)
        case "adamw": chain = adamW(learningRate: .constant(learningRate), weightDecay: wd)
        case "rmsprop": chain = rmsprop(learningRate: .constant(learningRate), momentum: Float(momentum), weightDecay: wd)
        case "adagrad": chain = adagrad(learningRate: learningRate, weightDecay: wd)
        default: chain = adam(learningRate: .constant(learningRate), weightDecay: wd)
        }
        return Optimizer(model, chain)
    }

    /// The training loss (cross-entropy from logits, with label smoothing when set).
    public var loss: LossFunction {
        let smoothing = Float(labelSmoothing)
        if smoothing == 0 { return crossEntropyLoss }
        return { Loss.crossEntropy(logits: $0, labels: $1, labelSmoothing: smoothing) }
    }

    /// Augmentation steps for image inputs of `shape` (nil when none is enabled).
    public func augmentation(imageShape shape: [Int]) -> AugmentationPipeline? {
        guard shape.count >= 2 else { return nil }
        var steps: [any ImageAugmentation] = []
        if crop > 0 { steps.append(RandomCrop(padding: crop)) }
        if flip { steps.append(HorizontalFlip()) }
        if rotate > 0 { steps.append(RandomAffine(maxRotationDegrees: rotate)) }
        if noise > 0 { steps.append(GaussianNoise(standardDeviation: Float(noise), clampTo: 0...1)) }
        return steps.isEmpty ? nil : AugmentationPipeline(steps)
    }
}
