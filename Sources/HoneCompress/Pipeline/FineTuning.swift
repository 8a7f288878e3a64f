import HoneData
import HoneNN
import HoneTrain

/// Fine-tuning shared by the compression stages: Adam over the model's trainable parameters,
/// seeded shuffling, optional callbacks (e.g. `MaskedFineTuning`).
enum FineTuning {
    /// Trains `model` on `context.train` for `epochs` (nothing when 0). Throws
    /// `CompressionError.emptyCalibrationData(stage:)` when the training data is empty.
    static func run(_ model: any Layer, context: CompressionContext, stage: String, epochs: Int, learningRate: Double,
                    loss: @escaping LossFunction = crossEntropyLoss, callbacks: [any Callback] = []) throws {
        guard context.train.count > 0 else { throw CompressionError.emptyCalibrationData(stage: stage) }
        guard epochs > 0 else { return }
        let optimizer = Optimizer(model, adam(learningRate: .constant(learningRate)))
        try fit(model, loss: loss, optimizer: optimizer, data: context.train, epochs: epochs,
                batchSize: context.fineTune.batchSize, callbacks: callbacks, seed: context.seed)
    }
}
