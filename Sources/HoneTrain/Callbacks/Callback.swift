import HoneNN
import HoneTensor

/// Hooks into `fit`: one small protocol, every method optional. Callbacks run in the order
/// given; throwing from any hook stops training and `fit` rethrows the error.
///
/// ```swift
/// final class PrintEpochs: Callback {
///     func epochDidEnd(_ log: EpochLog, state: TrainingState) throws {
///         print(log.epoch, log["loss"]!)
///     }
/// }
/// ```
public protocol Callback: AnyObject {
    func trainingWillBegin(state: TrainingState) throws
    func epochWillBegin(_ epoch: Int, state: TrainingState) throws
    /// Before a training batch's forward pass: returns the inputs to train on (by default
    /// `inputs` unchanged). Adversarial training and input-noise augmentation replace them here;
    /// callbacks run in order, each seeing the previous one's result.
    func batchWillBegin(_ batch: Int, inputs: Tensor, labels: [Int32], state: TrainingState) throws -> Tensor
    /// After the batch's loss and gradients are computed, before the optimizer step.
    func batchDidEnd(_ batch: Int, loss: Double, state: TrainingState) throws
    /// Right after the optimizer step of a batch (pruning masks are re-applied here).
    func optimizerDidStep(_ batch: Int, state: TrainingState) throws
    /// After training and validation of one epoch; may edit the log (others see the change).
    func epochDidEnd(_ log: inout EpochLog, state: TrainingState) throws
    func trainingDidEnd(state: TrainingState) throws
}

public extension Callback {
    func trainingWillBegin(state: TrainingState) throws {}
    func epochWillBegin(_ epoch: Int, state: TrainingState) throws {}
    func batchWillBegin(_ batch: Int, inputs: Tensor, labels: [Int32], state: TrainingState) throws -> Tensor { inputs }
    func batchDidEnd(_ batch: Int, loss: Double, state: TrainingState) throws {}
    func optimizerDidStep(_ batch: Int, state: TrainingState) throws {}
    func epochDidEnd(_ log: inout EpochLog, state: TrainingState) throws {}
    func trainingDidEnd(state: TrainingState) throws {}
}

/// What callbacks can see and steer during `fit`.
public final class TrainingState {
    /// The model being trained.
    public let model: any Layer
    /// Its optimizer (callbacks change `learningRateScale`).
    public let optimizer: Optimizer
    /// Total epochs requested.
    public let epochs: Int
    /// Batches in one training epoch.
    public let batchesPerEpoch: Int
    /// Training examples per epoch.
    public let samplesPerEpoch: Int
    /// Current 1-based epoch (0 before the first).
    public internal(set) var epoch = 0
    /// Logs of the finished epochs.
    public internal(set) var history: [EpochLog] = []
    /// Set to true to stop after the current epoch (early stopping).
    public var stopRequested = false

    init(model: any Layer, optimizer: Optimizer, epochs: Int, batchesPerEpoch: Int, samplesPerEpoch: Int) {
        self.model = model; self.optimizer = optimizer; self.epochs = epochs
        self.batchesPerEpoch = batchesPerEpoch; self.samplesPerEpoch = samplesPerEpoch
    }
}
