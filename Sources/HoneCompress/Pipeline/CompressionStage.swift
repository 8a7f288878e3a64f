import HoneData
import HoneNN

/// One step of a compression pipeline (`hone compress`, `CompressionPipeline`): distillation,
/// pruning, quantization. A stage takes a trained model and returns the compressed one (possibly
/// a new object with different layer types, e.g. `SparseDense` or a quantized layer), using the
/// data, fine-tuning settings and seed in `context`.
///
/// A stage validates its settings before it changes anything and throws a `CompressionError` for
/// a user's bad input (an invalid sparsity, an unsupported layer, empty calibration data, a
/// missing teacher); the pipeline then writes no file.
///
/// ```swift
/// struct Identity: CompressionStage {
///     var name: String { "identity" }
///     func apply(to model: any Layer, context: CompressionContext) throws -> any Layer { model }
/// }
/// let out = try Identity().apply(to: Models.mlp(seed: 1), context: CompressionContext(train: data.train))
/// ```
public protocol CompressionStage {
    /// Short stage name used in reports and `--json` lines (`"distill"`, `"prune"`, `"quantize"`).
    var name: String { get }
    /// Compresses `model`. May modify `model` in place and return it, or return a new model.
    func apply(to model: any Layer, context: CompressionContext) throws -> any Layer
}

/// What every stage may use: training data (for fine-tuning and distillation), calibration data
/// (for quantization; defaults to the training data), fine-tuning settings and a seed.
///
/// ```swift
/// let ctx = CompressionContext(train: data.train, fineTune: FineTuneSettings(epochs: 1), seed: 7)
/// ```
public struct CompressionContext: Sendable {
    /// Training examples for fine-tuning and distillation.
    public var train: any Dataset
    /// Examples for calibrating activation ranges (quantization); the training data if not set.
    public var calibration: any Dataset
    /// How compressed models are fine-tuned after a stage changes them.
    public var fineTune: FineTuneSettings
    /// Seed for every random choice (shuffling, initialization of students).
    public var seed: UInt64

    public init(train: any Dataset, calibration: (any Dataset)? = nil,
                fineTune: FineTuneSettings = FineTuneSettings(), seed: UInt64 = 0) {
        self.train = train
        self.calibration = calibration ?? train
        self.fineTune = fineTune
        self.seed = seed
    }
}

/// Fine-tuning after a compression stage: Adam with `learningRate` for `epochs` passes in
/// batches of `batchSize`. `epochs == 0` skips fine-tuning.
///
/// ```swift
/// let ft = FineTuneSettings(epochs: 2, batchSize: 128, learningRate: 1e-4)
/// ```
public struct FineTuneSettings: Sendable, Equatable {
    public var epochs: Int
    public var batchSize: Int
    public var learningRate: Double

    public init(epochs: Int = 1, batchSize: Int = 128, learningRate: Double = 1e-4) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
    }

    /// Throws `CompressionError.invalidArgument` unless epochs ≥ 0, batchSize ≥ 1 and learningRate > 0.
    public func validate(field: String = "fine_tune") throws {
        guard epochs >= 0 else { throw CompressionError.invalidArgument(name: "\(field).epochs", reason: "expected ≥ 0, got \(epochs)") }
        guard batchSize >= 1 else {
            throw CompressionError.invalidArgument(name: "\(field).batch_size", reason: "expected ≥ 1, got \(batchSize)")
        }
        guard learningRate > 0, learningRate.isFinite else {
            throw CompressionError.invalidArgument(name: "\(field).learning_rate", reason: "expected a positive number, got \(learningRate)")
        }
    }
}
