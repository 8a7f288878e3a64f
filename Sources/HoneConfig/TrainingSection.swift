/// `training:` — how each configuration is trained. Any value may be a search range.
///
/// ```yaml
/// training:
///   optimizer: {choices: [adam, sgd]}
///   learning_rate: {low: 1.0e-4, high: 1.0e-2, log: true}
///   batch_size: {choices: [64, 128, 256]}
///   epochs: 10
///   schedule: cosine            # none | cosine | step | exponential | onecycle
///   early_stopping: {patience: 3}
///   augmentation: {flip: false, crop: 2, noise: 0.0}
/// ```
public struct TrainingSection: Hashable, Sendable {
    public static let optimizers = ["adam", "adamw", "sgd", "rmsprop", "adagrad"]
    public static let schedules = ["none", "cosine", "step", "exponential", "onecycle"]

    public var optimizer: Tunable<String> = .fixed("adam")
    public var learningRate: Tunable<Double> = .fixed(1e-3)
    public var batchSize: Tunable<Int> = .fixed(128)
    public var epochs = 10
    public var weightDecay: Tunable<Double> = .fixed(0)
    public var momentum: Tunable<Double> = .fixed(0.9)
    public var schedule: Tunable<String> = .fixed("none")
    public var warmupEpochs = 0
    public var labelSmoothing: Tunable<Double> = .fixed(0)
    /// Stop after this many epochs without validation improvement (nil: never).
    public var earlyStoppingPatience: Int?
    public var augmentation = AugmentationSection()
    public var seed = 0

    public init() {}

    static let keys = ["optimizer", "learning_rate", "lr", "batch_size", "epochs", "weight_decay", "momentum",
                       "schedule", "warmup_epochs", "label_smoothing", "early_stopping", "augmentation", "seed"]

    init(_ n: YAMLNode) throws {
        try n.checkKeys(Self.keys)
        optimizer = try n.tunable("optimizer", default: optimizer) { Self.optimizers.contains($0) ? nil : "expected one of: \(Self.optimizers.joined(separator: ", "))" }
        let lrKey = try n.child("lr") != nil ? "lr" : "learning_rate"
        learningRate = try n.tunable(lrKey, default: learningRate) { $0 > 0 && $0 < 10 ? nil : "expected a learning rate in (0, 10)" }
        batchSize = try n.tunable("batch_size", default: batchSize) { $0 >= 1 && $0 <= 65536 ? nil : "expected a batch size in 1...65536" }
        if let e = try n.child("epochs") {
            epochs = try e.int()
            guard epochs >= 1 else { throw e.error("expected at least 1 epoch, got \(epochs)") }
        }
        weightDecay = try n.tunable("weight_decay", default: weightDecay) { $0 >= 0 ? nil : "expected a non-negative weight decay" }
        momentum = try n.tunable("momentum", default: momentum) { $0 >= 0 && $0 < 1 ? nil : "expected momentum in [0, 1)" }
        schedule = try n.tunable("schedule", default: schedule) { Self.schedules.contains($0) ? nil : "expected one of: \(Self.schedules.joined(separator: ", "))" }
        if let w = try n.child("warmup_epochs") {
            warmupEpochs = try w.int()
            guard warmupEpochs >= 0 else { throw w.error("expected a non-negative count") }
        }
        labelSmoothing = try n.tunable("label_smoothing", default: labelSmoothing) { $0 >= 0 && $0 < 1 ? nil : "expected label smoothing in [0, 1)" }
        if let es = try n.child("early_stopping"), !es.isNull {
            try es.checkKeys(["patience"])
            guard let p = try es.child("patience") else { throw es.error("expected {patience: N}") }
            earlyStoppingPatience = try p.int()
            guard earlyStoppingPatience! >= 1 else { throw p.error("expected patience ≥ 1") }
        }
        if let a = try n.child("augmentation"), !a.isNull { augmentation = try AugmentationSection(a) }
        seed = try n.child("seed")?.int() ?? 0
    }
}

/// `training.augmentation:` — random transforms applied to training images only.
public struct AugmentationSection: Hashable, Sendable {
    public var flip: Tunable<Bool> = .fixed(false)
    /// Random crop after zero-padding by this many pixels (0: off).
    public var crop: Tunable<Int> = .fixed(0)
    /// Standard deviation of added Gaussian noise (0: off).
    public var noise: Tunable<Double> = .fixed(0)
    /// Maximum rotation in degrees (0: off).
    public var rotate: Tunable<Double> = .fixed(0)

    public init() {}

    init(_ n: YAMLNode) throws {
        try n.checkKeys(["flip", "crop", "noise", "rotate"])
        flip = try n.tunable("flip", default: flip)
        crop = try n.tunable("crop", default: crop) { $0 >= 0 && $0 <= 8 ? nil : "expected crop padding in 0...8 pixels" }
        noise = try n.tunable("noise", default: noise) { $0 >= 0 && $0 <= 1 ? nil : "expected a noise level in [0, 1]" }
        rotate = try n.tunable("rotate", default: rotate) { $0 >= 0 && $0 <= 45 ? nil : "expected a rotation in 0...45 degrees" }
    }
}
