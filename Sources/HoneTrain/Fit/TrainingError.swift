/// Errors `fit` and its callbacks throw.
///
/// ```swift
/// do { try fit(model, optimizer: opt, data: train, epochs: 5, batchSize: 64,
///              callbacks: [NonFiniteLossGuard()]) }
/// catch let e as TrainingError { print(e) }   // "loss is nan at epoch 3, batch 17 …"
/// ```
public enum TrainingError: Error, CustomStringConvertible, Equatable {
    /// The training loss became NaN or infinite.
    case nonFiniteLoss(epoch: Int, batch: Int, value: Double)
    /// A setting passed to `fit`, `evaluate` or `predict` is out of range.
    case invalidArgument(name: String, reason: String)
    /// A log or checkpoint file could not be written.
    case fileWriteFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case let .nonFiniteLoss(epoch, batch, value):
            return "training stopped: loss is \(value) at epoch \(epoch), batch \(batch) (lower the learning rate, clip gradients, or check the inputs for NaN/Inf)"
        case let .invalidArgument(name, reason):
            return "invalid argument \(name): \(reason)"
        case let .fileWriteFailed(path, reason):
            return "could not write \(path): \(reason)"
        }
    }
}
